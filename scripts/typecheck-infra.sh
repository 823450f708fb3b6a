#!/usr/bin/env bash
# Type-checks sst.config.ts and infra/ against SST's own platform types, with no AWS account and no network beyond
# the npm registry. SST's toolchain (several hundred MB) lives in infra/'s own install, so `npm ci` at the root and
# `npm test` stay light; npm's cache makes repeat runs quick.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix infra --no-audit --no-fund --loglevel=error
# `sst install` fetches the AWS provider's types with bun; the bun npm package carries the binary.
export SST_BUN_PATH="$PWD/infra/node_modules/bun/bin/bun.exe"
export SST_SKIP_DEPENDENCY_CHECK=1 SST_TELEMETRY_DISABLED=1
infra/node_modules/.bin/sst install --stage ci
infra/node_modules/.bin/tsc -p infra/tsconfig.json
echo "infra: types check"

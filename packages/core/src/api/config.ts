import { FanoutError } from '../errors/index.ts';
import { createInvoker, type TransportName } from '../transport/index.ts';
import type { ApiOptions } from './app.ts';
import { GraphCatalog } from './graph-catalog.ts';

/**
 * The API's configuration from its environment (the Lambda function's, or `fanout dev`'s):
 * - `FANOUT_GRAPHS`: URI of the prefix graphs live under (`s3://bucket/graphs`); required;
 * - `FANOUT_HOP_FUNCTIONS`: comma-separated hop function names, invoked through Lambda; or
 * - `FANOUT_HOP_URLS`: comma-separated hop server URLs, reached over HTTP; with neither, hops run in-process;
 * - `FANOUT_API_TOKEN`: the bearer token clients must send (optional).
 * Endpoints and credentials come from the AWS SDK's own variables (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_LAMBDA`).
 */
export function apiOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ApiOptions {
  const root = env.FANOUT_GRAPHS;
  if (!root) throw new FanoutError('INVALID_ARGUMENT', 'set FANOUT_GRAPHS to the URI graphs live under');
  const list = (value?: string) =>
    value
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '') ?? [];
  const functions = list(env.FANOUT_HOP_FUNCTIONS);
  const urls = list(env.FANOUT_HOP_URLS);
  const transport: TransportName = functions.length > 0 ? 'lambda' : urls.length > 0 ? 'http' : 'inprocess';
  const catalog = new GraphCatalog({
    root,
    invokerFor: (graph) => createInvoker(graph, transport, { functions, urls, token: env.FANOUT_HOP_TOKEN }),
  });
  return { catalog, token: env.FANOUT_API_TOKEN || undefined };
}

import { FanoutError } from '@fanout/core';
import type { Command } from 'commander';
import { startDevStack } from '../dev/dev-stack.ts';
import { info } from '../output.ts';

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new FanoutError('INVALID_ARGUMENT', `bad port ${value}`);
  return n;
};
const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new FanoutError('INVALID_ARGUMENT', `expected a positive integer: ${value}`);
  return n;
};

const fraction = (value: string) => {
  const x = Number(value);
  if (!(x >= 0 && x < 1)) throw new FanoutError('INVALID_ARGUMENT', `expected a fraction in [0, 1): ${value}`);
  return x;
};

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('run the local stack: S3 (s3rver), a Lambda Invoke endpoint for functions/, the HTTP API')
    .option('--dir <dir>', 'where the local S3 server keeps its data', '.fanout/dev')
    .option('--bucket <name>', 'the bucket', 'fanout')
    .option('--api-port <port>', 'HTTP API port (0: any free one)', port, 8787)
    .option('--s3-port <port>', 'S3 port', port, 4569)
    .option('--lambda-port <port>', 'Lambda Invoke API port', port, 9001)
    .option('--edge-port <port>', 'also serve S3 and the Invoke API on this one port, routed by path', port)
    .option('--hop-functions <k>', 'hop functions in the pool', positive, 2)
    .option('--hop-concurrency <n>', 'containers per hop function', positive, 1)
    .option('--hop-memory <mb>', 'memory of each hop function (sets its cache budget)', positive, 2048)
    .option('--hedge <percentile>', 'hedge hop calls slower than this latency percentile (0: off)', fraction, 0.95)
    .option('--json', 'print the endpoints as one JSON line on stdout')
    .action(async (flags) => {
      const stack = await startDevStack({
        dir: flags.dir,
        bucket: flags.bucket,
        apiPort: flags.apiPort,
        s3Port: flags.s3Port,
        lambdaPort: flags.lambdaPort,
        edgePort: flags.edgePort,
        hopFunctions: flags.hopFunctions,
        hopConcurrency: flags.hopConcurrency,
        hopMemoryMb: flags.hopMemory,
        hedgePercentile: flags.hedge,
        token: process.env.FANOUT_API_TOKEN || undefined,
        onJob: (message) => info(`[job] ${message}`),
      });
      const endpoints = { api: stack.api, s3: stack.s3, lambda: stack.lambda, edge: stack.edge, bucket: stack.bucket };
      if (flags.json) process.stdout.write(`${JSON.stringify(endpoints)}\n`);
      const auth = process.env.FANOUT_API_TOKEN ? ' -H "authorization: Bearer $FANOUT_API_TOKEN"' : '';
      info(
        [
          'fanout dev: the local stack is up',
          `  API      ${stack.api}`,
          `  S3       ${stack.s3}   (bucket ${stack.bucket}; access key S3RVER / S3RVER)`,
          `  Lambda   ${stack.lambda}   (functions ${stack.hopFunctionNames.join(', ')}, fanout-partition-job)`,
          ...(stack.edge ? [`  edge     ${stack.edge}   (S3 and Lambda on one port)`] : []),
          '',
          'Partition a graph: upload its raw files under raw/<graph>/ and then raw/<graph>/job.json, e.g.',
          `  AWS_ENDPOINT_URL=${stack.edge ?? stack.s3} aws s3 cp data/cora s3://${stack.bucket}/raw/cora/ --recursive`,
          `  echo '{"input":"raw/cora","format":"ogb","parts":4}' | AWS_ENDPOINT_URL=${stack.edge ?? stack.s3} aws s3 cp - s3://${stack.bucket}/raw/cora/job.json`,
          'Then sample:',
          `  curl -s ${stack.api}/v1/graphs/cora/sample${auth} -H 'content-type: application/json' -d '{"seeds":[0,1,2],"num_neighbors":[10,5]}'`,
          '',
          'Ctrl-C stops everything.',
        ].join('\n'),
      );
      await new Promise<void>((done) => {
        const shutdown = () => {
          info('fanout dev: stopping');
          stack.stop().then(done, done);
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
    });
}

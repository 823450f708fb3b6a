import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import {
  createApi,
  createdObjects,
  createInvoker,
  createLambdaClient,
  edgeHandler,
  GraphCatalog,
  JOB_KEY,
  LOCAL_S3_CREDENTIALS,
  type LocalFunction,
  type LocalS3Server,
  pinHeapGrowth,
  type RunningServer,
  serveFetch,
  serveNode,
  startLambdaService,
  startLocalS3,
} from '@fanout/core';

const FUNCTIONS_DIR = new URL('../../../../functions/', import.meta.url);

export interface DevStackOptions {
  /** Where the local S3 server keeps its data (created if needed). */
  dir: string;
  bucket: string;
  /** Ports; 0 picks a free one. */
  apiPort: number;
  s3Port: number;
  lambdaPort: number;
  /** When set, S3 and the Invoke API are also served on this one port, routed by path (LocalStack's edge port). */
  edgePort?: number;
  /** The hop function pool's size K. */
  hopFunctions: number;
  /** Containers per hop function (Lambda's concurrency, modelled by worker threads). */
  hopConcurrency: number;
  /** Memory of each hop function, which sets its partition cache budget. */
  hopMemoryMb: number;
  /** The Lambda transport's hedging percentile (0: off). */
  hedgePercentile: number;
  /** The API's bearer token (none: open). */
  token?: string;
  /** Called with each partition job's outcome (or failure). */
  onJob?: (message: string) => void;
}

export interface DevStack {
  bucket: string;
  s3: string;
  lambda: string;
  api: string;
  edge?: string;
  hopFunctionNames: string[];
  stop(): Promise<void>;
}

/**
 * The local stack of `npm run dev`: a real S3-compatible server (s3rver) whose notifications start the partition job,
 * a local Lambda Invoke endpoint running `functions/` in worker threads (so the real @aws-sdk/client-lambda path is
 * used), and the HTTP API reaching the hop functions through it. The SDK's standard variables point any of these at
 * external endpoints instead: AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) skips the local S3 server, and
 * AWS_ENDPOINT_URL_LAMBDA (or AWS_ENDPOINT_URL) the local Invoke endpoint, LocalStack included.
 */
export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  // The API serves from this process, as its Lambda entry does from its own.
  pinHeapGrowth();
  const env = process.env;
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    const externalS3 = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
    const externalLambda = env.AWS_ENDPOINT_URL_LAMBDA ?? env.AWS_ENDPOINT_URL;
    env.AWS_REGION ??= 'us-east-1';
    /** Runs the partition job for an S3 event through the Invoke API (set once the Lambda endpoint is known). */
    let invokeJob: ((event: unknown) => Promise<string>) | undefined;
    const hopFunctionNames = Array.from({ length: options.hopFunctions }, (_, i) => `fanout-hop-${i}`);

    let s3Server: LocalS3Server | undefined;
    if (!externalS3) {
      s3Server = await startLocalS3({
        directory: resolve(options.dir),
        buckets: [options.bucket],
        port: options.s3Port,
        onEvent: (event) => {
          for (const object of createdObjects(event)) {
            if (!JOB_KEY.test(object.key) || !invokeJob) continue;
            options.onJob?.(`partition job started for ${object.key}`);
            invokeJob(event).then(
              (result) => options.onJob?.(`partition job for ${object.key}: ${result}`),
              (error: Error) => options.onJob?.(`partition job for ${object.key} failed: ${error.message}`),
            );
          }
        },
      });
      stops.push(() => s3Server!.stop());
      env.AWS_ENDPOINT_URL_S3 = s3Server.endpoint;
      env.AWS_ACCESS_KEY_ID = LOCAL_S3_CREDENTIALS.accessKeyId;
      env.AWS_SECRET_ACCESS_KEY = LOCAL_S3_CREDENTIALS.secretAccessKey;
    }
    const graphs = `s3://${options.bucket}/graphs`;
    const functionEnv = { FANOUT_GRAPHS: graphs };

    let lambda = externalLambda;
    if (!externalLambda) {
      const module = (file: string) => pathToFileURL(resolve(new URL(file, FUNCTIONS_DIR).pathname)).href;
      const functions: Record<string, LocalFunction> = {
        'fanout-partition-job': {
          module: module('partition-job.ts'),
          env: functionEnv,
          memoryMb: 10_240,
          timeoutSec: 900,
        },
      };
      for (const name of hopFunctionNames) {
        functions[name] = {
          module: module('sample-hop.ts'),
          env: functionEnv,
          memoryMb: options.hopMemoryMb,
          timeoutSec: 30,
          concurrency: options.hopConcurrency,
        };
      }
      // The Lambda service runs in its own thread, so the API's thread does not also serve the invocations.
      const service = await startLambdaService(functions, options.lambdaPort);
      stops.push(() => service.close());
      lambda = service.url;
    }

    let edge: RunningServer | undefined;
    if (options.edgePort !== undefined && s3Server && !externalLambda) {
      edge = await serveNode(edgeHandler({ s3: s3Server.endpoint, lambda: lambda! }), { port: options.edgePort });
      stops.push(() => edge!.close());
    }

    const lambdaClient = createLambdaClient({ endpoint: lambda });
    invokeJob = async (event) => {
      const out = await lambdaClient.send(
        new InvokeCommand({ FunctionName: 'fanout-partition-job', Payload: Buffer.from(JSON.stringify(event)) }),
      );
      return new TextDecoder().decode(out.Payload ?? new Uint8Array());
    };
    const catalog = new GraphCatalog({
      root: graphs,
      invokerFor: (graph) =>
        createInvoker(graph, 'lambda', {
          functions: hopFunctionNames,
          lambdaClient,
          hedgePercentile: options.hedgePercentile,
        }),
    });
    stops.push(() => catalog.close());
    const api = await serveFetch(createApi({ catalog, token: options.token }).fetch, { port: options.apiPort });
    stops.push(() => api.close());

    return {
      bucket: options.bucket,
      s3: externalS3 ?? s3Server!.endpoint,
      lambda: lambda!,
      api: api.url,
      edge: edge?.url,
      hopFunctionNames,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

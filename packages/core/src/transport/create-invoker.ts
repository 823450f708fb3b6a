import type { LambdaClient } from '@aws-sdk/client-lambda';
import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { HopService } from '../sampling/hop-service.ts';
import { RESILIENT_POLICY } from './call-policy.ts';
import { assignPartitionsToFunctions } from './function-pool.ts';
import { HttpChannel } from './http-channel.ts';
import { InProcessInvoker } from './in-process.ts';
import type { Invoker } from './invoker.ts';
import { createLambdaClient, LambdaChannel } from './lambda-channel.ts';
import { PartitionRouter } from './partition-router.ts';
import { RemoteInvoker, type RemoteInvokerOptions } from './remote-invoker.ts';
import { RetryingInvoker } from './retrying-invoker.ts';
import { WorkerPoolInvoker } from './worker-pool.ts';

export type TransportName = 'inprocess' | 'workers' | 'lambda' | 'http';
export const TRANSPORTS: TransportName[] = ['inprocess', 'workers', 'lambda', 'http'];

export interface CreateInvokerOptions extends RemoteInvokerOptions {
  /** Worker threads for `workers` (default: the partition count, at most 4). */
  workers?: number;
  /** With `workers`: partitions this thread samples itself, co-located with the coordinator. */
  localParts?: number[];
  /** With `lambda`: the pool of hop function names; partitions are spread over them by bytes. */
  functions?: string[];
  /** With `lambda`: the client to invoke with (default: configured from the environment). */
  lambdaClient?: LambdaClient;
  /** With `http`: the hop servers' base URLs; partitions are spread over them by bytes. */
  urls?: string[];
  /** With `http`: the hop servers' bearer token. */
  token?: string;
}

/** The invoker a transport name stands for; in-process serves the already opened graph without reopening it. */
export function createInvoker(
  graph: PartitionedGraph,
  transport: TransportName,
  options: CreateInvokerOptions = {},
): Invoker {
  const inProcess = () => {
    const service = new HopService();
    service.register(graph);
    return new InProcessInvoker(service);
  };
  switch (transport) {
    case 'inprocess':
      return inProcess();
    case 'workers': {
      const localParts = options.localParts ?? [];
      for (const p of localParts) {
        if (!Number.isInteger(p) || p < 0 || p >= graph.numParts) {
          throw new FanoutError(
            'INVALID_ARGUMENT',
            `local partition ${p} does not exist (the graph has 0..${graph.numParts - 1})`,
          );
        }
      }
      // Under the retry policy, a request to an instance that died is retried on its replacement. No hedging: a
      // hedge would queue behind the slow request on the same thread.
      const pool = new RetryingInvoker(
        new WorkerPoolInvoker({ workers: options.workers ?? Math.min(graph.numParts, 4) }),
        { ...RESILIENT_POLICY, hedgePercentile: 0, ...options },
      );
      return localParts.length > 0 ? new PartitionRouter(inProcess(), pool, localParts) : pool;
    }
    case 'lambda': {
      const functions = required(options.functions, 'lambda', 'functions (hop function names)');
      const map = assignPartitionsToFunctions(graph.manifest, functions.length);
      const channel = new LambdaChannel(options.lambdaClient ?? createLambdaClient(), (p) => functions[map[p]]);
      return new RemoteInvoker(channel, options);
    }
    case 'http': {
      const urls = required(options.urls, 'http', 'urls (hop server URLs)');
      const map = assignPartitionsToFunctions(graph.manifest, urls.length);
      return new RemoteInvoker(new HttpChannel({ urlFor: (p) => urls[map[p]], token: options.token }), options);
    }
    default:
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `unknown transport "${transport}" (available: ${TRANSPORTS.join(', ')})`,
      );
  }
}

function required(list: string[] | undefined, transport: string, what: string): string[] {
  if (!list || list.length === 0) {
    throw new FanoutError('INVALID_ARGUMENT', `the ${transport} transport needs ${what}`);
  }
  return list;
}

import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { HopService } from '../sampling/hop-service.ts';
import { InProcessInvoker } from './in-process.ts';
import type { Invoker } from './invoker.ts';
import { PartitionRouter } from './partition-router.ts';
import { WorkerPoolInvoker } from './worker-pool.ts';

export type TransportName = 'inprocess' | 'workers';
export const TRANSPORTS: TransportName[] = ['inprocess', 'workers'];

export interface CreateInvokerOptions {
  /** Worker threads for `workers` (default: the partition count, at most 4). */
  workers?: number;
  /** With `workers`: partitions this thread samples itself, co-located with the coordinator. */
  localParts?: number[];
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
      const pool = new WorkerPoolInvoker({ workers: options.workers ?? Math.min(graph.numParts, 4) });
      return localParts.length > 0 ? new PartitionRouter(inProcess(), pool, localParts) : pool;
    }
    default:
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `unknown transport "${transport}" (available: ${TRANSPORTS.join(', ')})`,
      );
  }
}

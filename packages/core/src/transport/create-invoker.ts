import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { HopService } from '../sampling/hop-service.ts';
import { InProcessInvoker } from './in-process.ts';
import type { Invoker } from './invoker.ts';
import { WorkerPoolInvoker } from './worker-pool.ts';

export type TransportName = 'inprocess' | 'workers';
export const TRANSPORTS: TransportName[] = ['inprocess', 'workers'];

/** The invoker a transport name stands for; in-process serves the already opened graph without reopening it. */
export function createInvoker(
  graph: PartitionedGraph,
  transport: TransportName,
  options: { workers?: number } = {},
): Invoker {
  switch (transport) {
    case 'inprocess': {
      const service = new HopService();
      service.register(graph);
      return new InProcessInvoker(service);
    }
    case 'workers':
      return new WorkerPoolInvoker({ workers: options.workers ?? Math.min(graph.numParts, 4) });
    default:
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `unknown transport "${transport}" (available: ${TRANSPORTS.join(', ')})`,
      );
  }
}

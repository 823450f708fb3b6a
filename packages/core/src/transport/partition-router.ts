import type { HopPartition, HopRequest, HopResponse } from '../sampling/hop.ts';
import type { Invoker, InvokeTrace } from './invoker.ts';

/**
 * Sends the requests of some partitions to one invoker and the rest to another. Its use: the coordinator serves the
 * partitions co-located with it in its own thread, the way DistDGL's trainer samples its local partition and calls
 * servers only for remote ones; the coordinator samples local partitions inline as it merges. On a 2-core machine one
 * partition in-thread and three on one worker thread balance the cores, where worker threads alone oversubscribe them.
 */
export class PartitionRouter implements Invoker {
  readonly name: string;
  private readonly localParts: Set<number>;

  constructor(
    private readonly local: Invoker,
    private readonly remote: Invoker,
    localParts: Iterable<number>,
  ) {
    this.localParts = new Set(localParts);
    this.name = `${remote.name}+${local.name}[${[...this.localParts].join(',')}]`;
  }

  invoke(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    return (this.localParts.has(request.part) ? this.local : this.remote).invoke(request, trace);
  }

  localPartition(graph: string, part: number, etype: string): Promise<HopPartition> | undefined {
    return this.localParts.has(part) ? this.local.localPartition?.(graph, part, etype) : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([this.local.close(), this.remote.close()]);
  }
}

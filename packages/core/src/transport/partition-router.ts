import type { HopPartition, HopRequest, HopResponse } from '../sampling/hop.ts';
import type { Invoker, InvokeTrace } from './invoker.ts';
import type { UtilizationBalancer } from './utilization-balancer.ts';

/**
 * Sends the requests of some partitions to one invoker and the rest to another. Its use: the coordinator serves the
 * partitions co-located with it in its own thread, the way DistDGL's trainer samples its local partition and calls
 * servers only for remote ones; the coordinator samples local partitions inline as it merges. On a 2-core machine one
 * partition in-thread and three on one worker thread balance the cores, where worker threads alone oversubscribe them.
 * With a balancer, the remote invoker serves the co-located partitions too, and the coordinator samples only the share
 * of their requests that keeps it as busy as the remote side, and only once it holds the partition: the first time
 * one is wanted here it starts loading, and the remote side answers until it is in (no batch waits on a load).
 */
export class PartitionRouter implements Invoker {
  readonly name: string;
  private readonly localParts: Set<number>;
  /** Balanced: the co-located partitions loaded (or loading) here, by graph, partition and edge type. */
  private readonly held = new Map<string, { partition?: HopPartition }>();

  constructor(
    private readonly local: Invoker,
    private readonly remote: Invoker,
    localParts: Iterable<number>,
    private readonly balancer?: UtilizationBalancer,
  ) {
    this.localParts = new Set(localParts);
    this.name = `${remote.name}+${local.name}[${[...this.localParts].join(',')}]${balancer ? ' balanced' : ''}`;
  }

  invoke(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    // Balanced, a co-located partition's requests that reach here are the ones left to the remote side.
    const here = this.localParts.has(request.part) && !this.balancer;
    return (here ? this.local : this.remote).invoke(request, trace);
  }

  localPartition(graph: string, part: number, etype: string): Promise<HopPartition> | undefined {
    if (!this.localParts.has(part)) return undefined;
    if (!this.balancer) return this.local.localPartition?.(graph, part, etype);
    if (!this.balancer.sampleHere()) return undefined;
    const key = `${graph}\n${part}\n${etype}`;
    const held = this.held.get(key);
    if (held) return held.partition && Promise.resolve(held.partition);
    const loading: { partition?: HopPartition } = {};
    this.held.set(key, loading);
    // A failed load leaves the partition to the remote side; the next request here tries again.
    this.local.localPartition?.(graph, part, etype)?.then(
      (partition) => {
        loading.partition = partition;
      },
      () => this.held.delete(key),
    );
    return undefined;
  }

  async close(): Promise<void> {
    await Promise.all([this.local.close(), this.remote.close()]);
  }
}

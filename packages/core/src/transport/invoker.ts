import type { HopPartition, HopRequest, HopResponse } from '../sampling/hop.ts';

/**
 * How a hop request reaches a hop function: in-process, worker threads, AWS Lambda or HTTP. The determinism contract
 * makes every transport interchangeable and makes retrying or hedging a request safe.
 */
export interface Invoker {
  readonly name: string;
  invoke(request: HopRequest): Promise<HopResponse>;
  close(): Promise<void>;
  /**
   * For partitions served in the caller's own thread: the partition itself, so the coordinator samples and relabels
   * it in one pass rather than exchanging requests (1.4× faster on ego-Twitter); undefined for remote partitions.
   * The sample is the same either way.
   */
  localPartition?(graph: string, part: number, etype: string): Promise<HopPartition> | undefined;
}

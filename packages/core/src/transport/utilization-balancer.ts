import { performance } from 'node:perf_hooks';

export interface UtilizationBalancerOptions {
  /** How busy the hop functions were since the last call, in [0, 1]. */
  remote: () => number;
  /** How busy this thread was since the last call (default: its event-loop utilisation). */
  local?: () => number;
  /** Milliseconds between adjustments (default 50). */
  intervalMs?: number;
  /** Clock in milliseconds (default `performance.now`). */
  now?: () => number;
}

/** How far the share moves at each adjustment, per unit of difference in busyness. */
const GAIN = 0.25;

/**
 * Decides, request by request, whether the coordinator samples a co-located partition itself or leaves it to the hop
 * functions, which serve it too, so that both sides stay equally busy. A fixed split cannot: on ego-Twitter over
 * one worker thread, leaving every request to the worker left the coordinator idle a third of the time, and taking
 * one partition of four overloaded the coordinator instead; the balance lies between, and moves with the graph,
 * the fanouts and the machine. Every `intervalMs` the share of requests kept here moves toward the less busy side,
 * in proportion to the difference, so it settles within a few intervals; requests are kept here evenly at that rate.
 * Which side samples a request never changes the sample: the determinism contract keys every draw by the node.
 */
export class UtilizationBalancer {
  /** The share of co-located requests sampled here, in [0, 1]. */
  share = 0;
  private credit = 0;
  private readonly remote: () => number;
  private readonly local: () => number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private adjusted: number;

  constructor(options: UtilizationBalancerOptions) {
    this.remote = options.remote;
    this.local = options.local ?? eventLoopUtilization();
    this.intervalMs = options.intervalMs ?? 50;
    this.now = options.now ?? (() => performance.now());
    this.adjusted = this.now();
  }

  /** Whether this request to a co-located partition is sampled here. */
  sampleHere(): boolean {
    this.adjust();
    this.credit += this.share;
    if (this.credit < 1) return false;
    this.credit -= 1;
    return true;
  }

  private adjust(): void {
    const now = this.now();
    if (now - this.adjusted < this.intervalMs) return;
    this.adjusted = now;
    const difference = this.remote() - this.local();
    this.share = Math.min(1, Math.max(0, this.share + GAIN * difference));
  }
}

/** This thread's event-loop utilisation since the previous call. */
function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

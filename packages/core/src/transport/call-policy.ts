import { FanoutError } from '../errors/index.ts';

export interface CallPolicyOptions {
  /** Per-attempt timeout in ms (default 30,000). */
  timeoutMs?: number;
  /** Attempts after the first for retryable failures (default 3). */
  retries?: number;
  /** Backoff: attempt i waits a uniform random time in [0, min(maxDelayMs, baseDelayMs · 2^i)) ("full jitter"). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Hedging: when an attempt has run longer than this percentile of recent latencies of calls of its size class, a
   * second identical attempt starts and the first answer wins (default 0.95; 0 turns hedging off). Safe because hop
   * requests are deterministic: both attempts return the same bytes.
   */
  hedgePercentile?: number;
  /** Latencies observed in a size class before its calls are hedged (default 20). */
  hedgeMinSamples?: number;
  /** Hedges at most this fraction of calls, so hedging cannot double the load of a saturated backend (default 0.05). */
  maxHedgeRatio?: number;
}

export interface CallStats {
  calls: number;
  attempts: number;
  retries: number;
  hedges: number;
  timeouts: number;
}

const WINDOW = 256;

/** Recent successful latencies of one size class, as a ring. */
class LatencyWindow {
  private readonly values = new Float64Array(WINDOW);
  private count = 0;

  add(ms: number): void {
    this.values[this.count++ % WINDOW] = ms;
  }

  /** The percentile, once `minSamples` have been seen. */
  percentile(p: number, minSamples: number): number | undefined {
    const n = Math.min(this.count, WINDOW);
    if (n < minSamples) return undefined;
    const sorted = this.values.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.floor(p * n))];
  }
}

/**
 * Timeouts, bounded retries with jittered exponential backoff, and hedged requests for one remote endpoint, as the
 * AWS Architecture Blog's "Exponential Backoff and Jitter" and Dean & Barroso's "The Tail at Scale" describe them.
 * Only FanoutErrors marked retryable (transport and storage failures, timeouts) are retried. Latencies are kept per
 * size class (the caller's measure of a call's work): a large hop is slow by nature, not a straggler to hedge.
 */
export class CallPolicy {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly hedgePercentile: number;
  private readonly hedgeMinSamples: number;
  private readonly maxHedgeRatio: number;
  private readonly windows = new Map<number, LatencyWindow>();
  private readonly counters: CallStats = { calls: 0, attempts: 0, retries: 0, hedges: 0, timeouts: 0 };

  constructor(options: CallPolicyOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.maxDelayMs = options.maxDelayMs ?? 2_000;
    this.hedgePercentile = options.hedgePercentile ?? 0.95;
    this.hedgeMinSamples = options.hedgeMinSamples ?? 20;
    this.maxHedgeRatio = options.maxHedgeRatio ?? 0.05;
    if (!(this.timeoutMs > 0) || !Number.isInteger(this.retries) || this.retries < 0) {
      throw new FanoutError('INVALID_ARGUMENT', 'timeoutMs must be positive and retries a non-negative integer');
    }
    if (!(this.hedgePercentile >= 0 && this.hedgePercentile < 1)) {
      throw new FanoutError('INVALID_ARGUMENT', 'hedgePercentile is in [0, 1)');
    }
  }

  /**
   * Runs `attempt` under the policy; it must give up when its signal aborts. `sizeClass` groups calls of similar work
   * for hedging (default 0: all alike).
   */
  async run<T>(attempt: (signal: AbortSignal) => Promise<T>, sizeClass = 0): Promise<T> {
    this.counters.calls++;
    let window = this.windows.get(sizeClass);
    if (!window) {
      window = new LatencyWindow();
      this.windows.set(sizeClass, window);
    }
    for (let i = 0; ; i++) {
      try {
        return await this.hedged(attempt, window);
      } catch (error) {
        const retryable = error instanceof FanoutError && error.retryable;
        if (!retryable || i >= this.retries) throw error;
        this.counters.retries++;
        const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** i);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
      }
    }
  }

  stats(): CallStats {
    return { ...this.counters };
  }

  /** One attempt, plus a hedge if it runs past the latency percentile; the first success wins, the rest abort. */
  private hedged<T>(attempt: (signal: AbortSignal) => Promise<T>, window: LatencyWindow): Promise<T> {
    const hedgeAfter =
      this.hedgePercentile > 0 ? window.percentile(this.hedgePercentile, this.hedgeMinSamples) : undefined;
    return new Promise<T>((resolve, reject) => {
      const controllers: AbortController[] = [];
      let failures = 0;
      let firstError: unknown;
      let done = false;
      let hedgeTimer: NodeJS.Timeout | undefined;
      const finish = () => {
        done = true;
        clearTimeout(hedgeTimer);
        for (const c of controllers) c.abort();
      };
      const start = () => {
        const controller = new AbortController();
        controllers.push(controller);
        this.counters.attempts++;
        const began = performance.now();
        const timer = setTimeout(() => controller.abort(), this.timeoutMs);
        attempt(controller.signal).then(
          (value) => {
            clearTimeout(timer);
            if (done) return;
            window.add(performance.now() - began);
            finish();
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            if (done) return;
            const timedOut = controller.signal.aborted;
            if (timedOut) this.counters.timeouts++;
            firstError ??= timedOut
              ? new FanoutError('TRANSPORT_ERROR', `the call timed out after ${this.timeoutMs} ms`, { cause: error })
              : error;
            if (++failures === controllers.length) {
              finish();
              reject(firstError);
            }
          },
        );
      };
      start();
      if (hedgeAfter !== undefined) {
        hedgeTimer = setTimeout(() => {
          if (done || this.counters.hedges >= this.maxHedgeRatio * this.counters.calls) return;
          this.counters.hedges++;
          start();
        }, hedgeAfter);
      }
    });
  }
}

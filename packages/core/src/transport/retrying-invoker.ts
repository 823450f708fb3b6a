import type { HopRequest, HopResponse } from '../sampling/hop.ts';
import { CallPolicy, type CallPolicyOptions, type CallStats, RESILIENT_POLICY, sizeClass } from './call-policy.ts';
import type { Invoker, InvokeTrace } from './invoker.ts';

/**
 * Any invoker under a CallPolicy: per-attempt timeouts, retries of transient failures with jittered backoff within a
 * time budget, and hedged requests for stragglers. The determinism contract makes every attempt return the same
 * answer, so retrying, hedging and duplicate deliveries cannot change a sample. Every request goes through `invoke`
 * (no partition is sampled in the caller's thread), so the policy sees them all.
 */
export class RetryingInvoker implements Invoker {
  readonly name: string;
  private readonly policy: CallPolicy;

  constructor(
    private readonly inner: Invoker,
    options: CallPolicyOptions = RESILIENT_POLICY,
  ) {
    this.name = inner.name;
    this.policy = new CallPolicy(options);
  }

  invoke(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    const work = request.nodes.length * Math.max(1, request.fanout);
    return this.policy.run(() => this.inner.invoke(request, trace), sizeClass(work));
  }

  stats(): CallStats {
    return this.policy.stats();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

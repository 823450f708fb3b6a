import type { HopRequest, HopResponse } from '../sampling/hop.ts';
import type { Invoker, InvokeTrace } from '../transport/invoker.ts';
import { type FaultCounts, FaultPlan, type FaultPlanInput } from './fault-plan.ts';

/**
 * An invoker whose hop invocations fail, run slow or are delivered twice at the plan's rates, for testing that the
 * coordinator's retries, hedges and budgets keep every sample whole and unchanged. Every request goes through
 * `invoke` (none is sampled in the caller's thread), so every one is exposed to faults.
 */
export class FaultyInvoker implements Invoker {
  readonly name: string;
  private readonly plan: FaultPlan;

  constructor(
    private readonly inner: Invoker,
    plan: FaultPlanInput,
  ) {
    this.name = `${inner.name} (faulty)`;
    this.plan = new FaultPlan(plan, 'invoker');
  }

  invoke(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    return this.plan.run('TRANSPORT_ERROR', `hop request to partition ${request.part}`, () =>
      this.inner.invoke(request, trace),
    );
  }

  get counts(): FaultCounts {
    return { ...this.plan.counts };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

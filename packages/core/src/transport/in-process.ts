import type { HopPartition, HopRequest, HopResponse } from '../sampling/hop.ts';
import { HopService } from '../sampling/hop-service.ts';
import type { Invoker, InvokeTrace } from './invoker.ts';

/** Hop functions as plain calls in this thread: the embedded default and the reference for every other transport. */
export class InProcessInvoker implements Invoker {
  readonly name = 'inprocess';

  constructor(readonly service: HopService = new HopService()) {}

  invoke(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    if (trace) trace.calls++;
    return this.service.handle(request);
  }

  localPartition(graph: string, part: number, etype: string): Promise<HopPartition> {
    return this.service.partition(graph, part, etype);
  }

  async close(): Promise<void> {}
}

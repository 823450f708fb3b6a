export { type FaultCounts, FaultPlan, type FaultPlanInput, faultPlanSchema } from './fault-plan.ts';
export { FaultyInvoker } from './faulty-invoker.ts';
export { FaultyStore } from './faulty-store.ts';

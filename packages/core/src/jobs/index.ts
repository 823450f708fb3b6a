export { createPartitionJobHandler, type PartitionJobHandlerOptions } from './handler.ts';
export { JOB_KEY, type JobSpec, jobSpecSchema, parseJobSpec } from './job-spec.ts';
export {
  FAILED_KEY,
  GRAPHS_PREFIX,
  type JobOutcome,
  type PartitionJobOptions,
  runPartitionJob,
} from './partition-job.ts';
export { type CreatedObject, createdObjects } from './s3-event.ts';

import { JOB_KEY } from './job-spec.ts';
import { type JobOutcome, runPartitionJob } from './partition-job.ts';
import { createdObjects } from './s3-event.ts';

export interface PartitionJobHandlerOptions {
  /** The URI of a bucket by its name (default `s3://<name>`; the local stack may map it elsewhere). */
  bucketUri?: (bucket: string) => string;
}

/**
 * The S3-notification handler: one partition job per `raw/<graph>/job.json` created; other keys are ignored (the
 * notification's suffix filter should not send them). Jobs run one after another, each within the function's memory.
 */
export function createPartitionJobHandler(
  options: PartitionJobHandlerOptions = {},
): (event: unknown) => Promise<JobOutcome[]> {
  const bucketUri = options.bucketUri ?? ((name: string) => `s3://${name}`);
  return async (event) => {
    const outcomes: JobOutcome[] = [];
    for (const object of createdObjects(event)) {
      if (!JOB_KEY.test(object.key)) continue;
      const outcome = await runPartitionJob(object.key, { bucket: bucketUri(object.bucket), etag: object.etag });
      console.log(JSON.stringify({ job: object.key, ...outcome }));
      outcomes.push(outcome);
    }
    return outcomes;
  };
}

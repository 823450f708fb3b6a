import { GRAPHS_PREFIX, JOB_MEMORY, JOB_TIMEOUT, NODEJS, RAW_PREFIX, RUNTIME } from './config';
import { allowListing, bucket } from './storage';

/**
 * The partition job, run by S3 for every `raw/<graph>/job.json` written. It reads raw/ (listing it to find a prefix's
 * inputs) and writes graphs/; Lambda retries a failed asynchronous invocation twice, which the job's versioning makes
 * harmless.
 */
export const partitionJob = new sst.aws.Function('PartitionJob', {
  handler: 'functions/partition-job.handler',
  runtime: RUNTIME,
  memory: JOB_MEMORY,
  timeout: JOB_TIMEOUT,
  nodejs: NODEJS,
  permissions: [
    { actions: ['s3:GetObject'], resources: [$interpolate`${bucket.arn}/${RAW_PREFIX}/*`] },
    {
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resources: [$interpolate`${bucket.arn}/${GRAPHS_PREFIX}/*`],
    },
  ],
});

// The job lists a prefix to find its inputs, and reads and writes its versions.
allowListing('PartitionJobList', partitionJob, [RAW_PREFIX, GRAPHS_PREFIX]);

bucket.notify({
  notifications: [
    {
      name: 'PartitionJobs',
      function: partitionJob.arn,
      events: ['s3:ObjectCreated:*'],
      filterPrefix: `${RAW_PREFIX}/`,
      filterSuffix: 'job.json',
    },
  ],
});

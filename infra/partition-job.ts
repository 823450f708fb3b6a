import { GRAPHS_PREFIX, JOB_MEMORY, JOB_TIMEOUT, NODEJS, RAW_PREFIX, RUNTIME } from './config';
import { bucket } from './storage';

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

// Listing is a bucket-level action: a condition keeps it to the two prefixes the job reads.
new aws.iam.RolePolicy('PartitionJobList', {
  role: partitionJob.nodes.role.name,
  policy: $jsonStringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucket.arn,
        Condition: { StringLike: { 's3:prefix': [`${RAW_PREFIX}/*`, `${GRAPHS_PREFIX}/*`] } },
      },
    ],
  }),
});

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

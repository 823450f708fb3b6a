/** The partition job, triggered by S3 notifications for `raw/<graph>/job.json`. */
import { createPartitionJobHandler } from '@fanout/core';

export const handler = createPartitionJobHandler();

import { GRAPHS_PREFIX, HOP_FUNCTIONS, HOP_MEMORY, HOP_TIMEOUT, NODEJS, RUNTIME } from './config';
import { bucket } from './storage';

/**
 * The pool of hop functions: K copies of functions/sample-hop.ts. They only read partition files (ranged GETs and
 * HEADs), so their role can read graphs/ and nothing else.
 */
export const hopFunctions = Array.from(
  { length: HOP_FUNCTIONS },
  (_, i) =>
    new sst.aws.Function(`Hop${i}`, {
      handler: 'functions/sample-hop.handler',
      runtime: RUNTIME,
      memory: HOP_MEMORY,
      timeout: HOP_TIMEOUT,
      nodejs: NODEJS,
      environment: { FANOUT_GRAPHS: $interpolate`s3://${bucket.name}/${GRAPHS_PREFIX}` },
      permissions: [{ actions: ['s3:GetObject'], resources: [$interpolate`${bucket.arn}/${GRAPHS_PREFIX}/*`] }],
    }),
);

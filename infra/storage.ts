/** The data bucket: raw inputs and job specs under raw/, partitioned graphs under graphs/. */
export const bucket = new sst.aws.Bucket('Data');

/**
 * Lets a function's role list the bucket under `prefixes` only. Listing is a bucket-level action, so SST's
 * per-function permissions (resource ARNs, no conditions) cannot scope it; an `s3:prefix` condition does.
 */
export function allowListing(name: string, fn: sst.aws.Function, prefixes: string[]): void {
  new aws.iam.RolePolicy(name, {
    role: fn.nodes.role.name,
    policy: $jsonStringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucket.arn,
          Condition: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}/*`) } },
        },
      ],
    }),
  });
}

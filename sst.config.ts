/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Fanout on AWS: the data bucket whose `raw/<graph>/job.json` objects start partition jobs, the pool of hop functions,
 * and the sampling API behind an HTTP API. Resources live in infra/, one file per concern; see README "Deploy to AWS".
 */
export default $config({
  app(input) {
    return {
      name: 'fanout',
      home: 'aws',
      // Partitioned graphs are data: a production stage keeps its bucket when the app is removed.
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      protect: input?.stage === 'production',
    };
  },
  async run() {
    const { bucket } = await import('./infra/storage');
    const { hopFunctions } = await import('./infra/hop-functions');
    await import('./infra/partition-job');
    const { api } = await import('./infra/api');
    return {
      bucket: bucket.name,
      api: api.url,
      hopFunctions: hopFunctions.map((f) => f.name),
    };
  },
});

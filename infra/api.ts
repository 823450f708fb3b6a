import { API_MEMORY, API_TIMEOUT, GRAPHS_PREFIX, NODEJS, RUNTIME } from './config';
import { hopFunctions } from './hop-functions';
import { allowListing, bucket } from './storage';

/** The bearer token clients send; set it with `npx sst secret set ApiToken <value> --stage <stage>`. */
const token = new sst.Secret('ApiToken');

/**
 * The sampling API (functions/api.ts, a Hono app): it reads manifests and ID maps under graphs/ and invokes the hop
 * functions of the pool, nothing else.
 */
const handler = new sst.aws.Function('ApiHandler', {
  handler: 'functions/api.handler',
  runtime: RUNTIME,
  memory: API_MEMORY,
  timeout: API_TIMEOUT,
  nodejs: NODEJS,
  environment: {
    FANOUT_GRAPHS: $interpolate`s3://${bucket.name}/${GRAPHS_PREFIX}`,
    FANOUT_HOP_FUNCTIONS: $resolve(hopFunctions.map((f) => f.name)).apply((names) => names.join(',')),
    FANOUT_API_TOKEN: token.value,
  },
  permissions: [
    { actions: ['s3:GetObject'], resources: [$interpolate`${bucket.arn}/${GRAPHS_PREFIX}/*`] },
    { actions: ['lambda:InvokeFunction'], resources: hopFunctions.map((f) => f.arn) },
  ],
});

// `GET /v1/graphs` lists the graphs prefix, and only it.
allowListing('ApiList', handler, [GRAPHS_PREFIX]);

export const api = new sst.aws.ApiGatewayV2('Api');
api.route('ANY /{proxy+}', handler.arn);

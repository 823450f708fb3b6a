import { handle } from 'hono/aws-lambda';
import { type ApiOptions, createApi } from './app.ts';

/** The API as a Lambda handler behind API Gateway's HTTP API (payload 1.0 or 2.0) or a function URL. */
export function createApiLambdaHandler(options: ApiOptions) {
  return handle(createApi(options));
}

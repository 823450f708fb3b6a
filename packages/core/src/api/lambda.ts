import { type APIGatewayProxyResult, handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { defaultLogger } from './api-logger.ts';
import { type ApiOptions, createApi } from './app.ts';
import { PROBLEM_JSON, problemDocument } from './problem.ts';

/** What a synchronous Lambda invocation may return: 6 MB of JSON, headers and body (base64 when binary) included. */
export const LAMBDA_MAX_RESULT_BYTES = 6 * 1024 * 1024;

export interface ApiLambdaOptions {
  /** The largest result to return, in bytes of its JSON (default Lambda's limit; lower only to exercise the guard). */
  maxResultBytes?: number;
}

/**
 * The API as a Lambda handler behind API Gateway's HTTP API (payload 1.0 or 2.0) or a function URL.
 *
 * A result past Lambda's 6 MB (an Arrow sample past ~4.5 MB, which travels base64, or a JSON one past ~6 MB) would
 * reach the client as API Gateway's bare 502. It is answered instead with a 413 problem (`LIMIT_EXCEEDED`) saying how
 * large the answer was, so the client knows to ask for fewer seeds or smaller fanouts per request.
 */
export function createApiLambdaHandler(options: ApiOptions, lambda: ApiLambdaOptions = {}) {
  const limit = lambda.maxResultBytes ?? LAMBDA_MAX_RESULT_BYTES;
  const logger = options.logger ?? defaultLogger();
  const handler = handle(createApi({ ...options, logger }));
  return async <L extends LambdaEvent>(event: L, context?: LambdaContext) => {
    const result = await handler(event, context);
    const bytes = sizePastLimit(result, limit);
    if (bytes === undefined) return result;
    logger.info('result too large for Lambda', { status: result.statusCode, bytes, limit });
    return tooLarge(result, bytes, limit);
  };
}

/**
 * The result's size as Lambda counts it (its JSON) when that is past `limit`, else undefined. Only a result that may
 * be near the limit is serialized: JSON escaping at most sextuples a body (\u00XX), and headers stay far below the
 * 64 KB allowed for them.
 */
function sizePastLimit(result: APIGatewayProxyResult, limit: number): number | undefined {
  if (6 * result.body.length + 65_536 <= limit) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(result));
  return bytes > limit ? bytes : undefined;
}

/** The same result's headers (request ID, cost), with a problem document for its body. */
function tooLarge<R extends APIGatewayProxyResult>(result: R, bytes: number, limit: number): R {
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  const problem = problemDocument(
    'LIMIT_EXCEEDED',
    `the answer is ${mb(bytes)}, over the ${mb(limit)} a Lambda function can return; ask for fewer seeds or smaller fanouts per request`,
  );
  const out = { ...result, statusCode: problem.status, body: JSON.stringify(problem), isBase64Encoded: false };
  if ('multiValueHeaders' in out && out.multiValueHeaders) {
    out.multiValueHeaders = { ...out.multiValueHeaders, 'content-type': [PROBLEM_JSON] };
  }
  if ('headers' in out && out.headers) out.headers = { ...out.headers, 'content-type': PROBLEM_JSON };
  return out;
}

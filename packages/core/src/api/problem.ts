import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCode, FanoutError } from '../errors/index.ts';
import type { ApiLogger } from './api-logger.ts';

export const PROBLEM_JSON = 'application/problem+json';

/** HTTP status of each error code: the client's fault (4xx) or the service's (5xx). */
const STATUS: Record<ErrorCode | 'INTERNAL', ContentfulStatusCode> = {
  INVALID_ARGUMENT: 400,
  INVALID_INPUT: 400,
  UNKNOWN_NODE: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  LIMIT_EXCEEDED: 413,
  TRANSPORT_ERROR: 502,
  STORAGE_ERROR: 502,
  CHECKSUM_MISMATCH: 500,
  INVALID_MANIFEST: 500,
  UNSUPPORTED_VERSION: 500,
  INTERNAL: 500,
};

/** Codes for failures raised by Hono itself rather than by Fanout. */
const CODE_OF_STATUS: Record<number, ErrorCode> = { 401: 'UNAUTHORIZED', 404: 'NOT_FOUND', 413: 'LIMIT_EXCEEDED' };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode | 'INTERNAL';
}

/** An RFC 9457 problem document with Fanout's stable `code`, and the status it goes with. */
export function problemDocument(code: ErrorCode | 'INTERNAL', detail: string): Problem {
  return { type: 'about:blank', title: code, status: STATUS[code], detail, code };
}

/** A problem document as the response. */
export function problem(c: Context, code: ErrorCode | 'INTERNAL', detail: string, headers?: Headers): Response {
  const body = problemDocument(code, detail);
  const response = c.body(JSON.stringify(body), STATUS[code], { 'content-type': PROBLEM_JSON });
  headers?.forEach((value, key) => {
    if (key.toLowerCase() === 'www-authenticate') response.headers.set(key, value);
  });
  return response;
}

/** Every error the app does not answer itself, as a problem document; unexpected ones are logged, not leaked. */
export function errorToProblem(error: Error, c: Context, logger: ApiLogger): Response {
  if (error instanceof FanoutError) return problem(c, error.code, error.message);
  if (error instanceof HTTPException) {
    const code = CODE_OF_STATUS[error.status] ?? 'INVALID_ARGUMENT';
    const detail =
      error.message ||
      (code === 'UNAUTHORIZED' ? 'send the API token as "Authorization: Bearer <token>"' : `HTTP ${error.status}`);
    return problem(c, code, detail, error.getResponse().headers);
  }
  logger.error('unexpected error', { request_id: c.get('requestId'), error });
  return problem(c, 'INTERNAL', `internal error; the service log has the details (request ${c.get('requestId')})`);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FunctionRuntime, LAMBDA_MAX_PAYLOAD } from './function-runtime.ts';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Whether a request is for Lambda's Invoke API (the edge port routes on this). */
export function isInvokeRequest(url: string | undefined): boolean {
  return INVOKE_PATH.test(new URL(url ?? '/', 'http://local').pathname);
}

/**
 * Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`) over a FunctionRuntime, faithful enough for
 * `@aws-sdk/client-lambda`: RequestResponse, Event (202, run in the background) and DryRun (204) invocation types;
 * handler errors as 200 with `X-Amz-Function-Error: Unhandled`; unknown functions and oversized requests as the
 * service's typed errors (`x-amzn-ErrorType`). Names may be plain or ARNs, and may carry a `:qualifier`.
 */
export function invokeHandler(runtime: FunctionRuntime): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const match = INVOKE_PATH.exec(new URL(req.url ?? '/', 'http://local').pathname);
    if (!match || req.method !== 'POST') {
      return serviceError(res, 404, 'UnknownOperationException', `no operation ${req.method} ${req.url}`);
    }
    const name = functionName(decodeURIComponent(match[1]));
    if (!runtime.has(name)) {
      return serviceError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= LAMBDA_MAX_PAYLOAD) chunks.push(chunk);
    });
    req.on('end', async () => {
      if (size > LAMBDA_MAX_PAYLOAD) {
        return serviceError(
          res,
          413,
          'RequestTooLargeException',
          `Request must be smaller than ${LAMBDA_MAX_PAYLOAD} bytes for the InvokeFunction operation`,
        );
      }
      const payload = Buffer.concat(chunks);
      const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
      if (type === 'DryRun') return end(res, 204, {});
      if (type === 'Event') {
        runtime.invoke(name, payload).catch(() => {});
        return end(res, 202, {});
      }
      try {
        const result = await runtime.invoke(name, payload);
        if ('invalidRequest' in result) {
          return serviceError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
        }
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'x-amz-executed-version': '$LATEST',
        };
        if (!result.ok) headers['x-amz-function-error'] = result.errorType;
        end(res, 200, headers, result.payload);
      } catch (error) {
        serviceError(res, 500, 'ServiceException', (error as Error).message);
      }
    });
  };
}

/** `name`, `name:qualifier` or `arn:aws:lambda:region:account:function:name[:qualifier]` → name. */
function functionName(raw: string): string {
  const parts = raw.split(':');
  if (parts[0] === 'arn') return parts[6] ?? raw;
  return parts[0];
}

function serviceError(res: ServerResponse, status: number, type: string, message: string): void {
  end(
    res,
    status,
    { 'content-type': 'application/json', 'x-amzn-errortype': type },
    JSON.stringify({ Type: 'User', message }),
  );
}

function end(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Uint8Array = '',
): void {
  res.writeHead(status, { ...headers, 'x-amzn-requestid': crypto.randomUUID() });
  res.end(body);
}

import { InvokeCommand, type InvokeCommandOutput, LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { FanoutError } from '../errors/index.ts';
import { framesPayloadBytes, fromFramesPayloadBytes } from './frame-payload.ts';
import type { FrameChannel } from './remote-invoker.ts';

/** Lambda's synchronous invocation limit is 6 MB of JSON each way; base64 makes 4 bytes of 3, and the envelope is small. */
export const LAMBDA_MAX_FRAME_BYTES = 4_400_000;

/**
 * A Lambda client as the SDK configures itself (region, credentials, `AWS_ENDPOINT_URL_LAMBDA` / `AWS_ENDPOINT_URL`
 * for LocalStack or the local stack), with the SDK's own retries off: the CallPolicy retries, and two layers of
 * retries would multiply.
 */
export function createLambdaClient(config: LambdaClientConfig = {}): LambdaClient {
  return new LambdaClient({ region: process.env.AWS_REGION ?? 'us-east-1', maxAttempts: 1, ...config });
}

/** Hop requests as synchronous Lambda invocations: the frames travel base64-encoded in Lambda's JSON payload. */
export class LambdaChannel implements FrameChannel {
  readonly name = 'lambda';
  readonly maxRequestBytes = LAMBDA_MAX_FRAME_BYTES;
  readonly maxResponseBytes: number;

  constructor(
    private readonly client: LambdaClient,
    /** The hop function serving a partition (the pool map). */
    private readonly functionFor: (part: number) => string,
    /** Below Lambda's own limit only to exercise splitting. */
    maxResponseBytes = LAMBDA_MAX_FRAME_BYTES,
  ) {
    this.maxResponseBytes = maxResponseBytes;
  }

  destination(part: number): string {
    return this.functionFor(part);
  }

  async send(functionName: string, frames: ArrayBuffer[], signal: AbortSignal): Promise<ArrayBuffer[]> {
    let out: InvokeCommandOutput;
    try {
      out = await this.client.send(
        new InvokeCommand({ FunctionName: functionName, Payload: framesPayloadBytes(frames) }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw lambdaError(functionName, error);
    }
    const payload = out.Payload ?? new Uint8Array();
    if (out.FunctionError) {
      // The handler answers typed errors as error frames; this is a crash, a timeout or an out-of-memory kill.
      const text = new TextDecoder().decode(payload).slice(0, 1000);
      throw new FanoutError('TRANSPORT_ERROR', `hop function ${functionName} failed (${out.FunctionError}): ${text}`);
    }
    return fromFramesPayloadBytes(payload, `hop function ${functionName}`);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function lambdaError(functionName: string, error: unknown): FanoutError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'ResourceNotFoundException') {
    return new FanoutError('NOT_FOUND', `hop function ${functionName} does not exist: deploy it or fix the pool`, {
      cause: error,
    });
  }
  // Throttling, service errors and lost connections (no status) may pass; other client errors will not.
  const retryable = status === undefined || status === 429 || status >= 500 || e.$retryable !== undefined;
  return new FanoutError('TRANSPORT_ERROR', `invoking ${functionName}: ${e.name ?? 'Error'}: ${e.message}`, {
    cause: error,
    retryable,
  });
}

import { encodeError } from '../transport/frame.ts';
import { type FramePayload, fromFramePayload, toFramePayload } from '../transport/frame-payload.ts';
import { LAMBDA_MAX_RESPONSE_BYTES } from '../transport/lambda-channel.ts';
import { cacheBudget, HopFunction } from './hop-function.ts';

/** The hop function as Lambda runs it, configured from the function's environment. */
export function hopFunctionFromEnv(env: NodeJS.ProcessEnv = process.env): HopFunction {
  return new HopFunction({
    cacheBytes: cacheBudget(Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 1024)),
    maxResponseBytes: LAMBDA_MAX_RESPONSE_BYTES,
    graphsPrefix: env.FANOUT_GRAPHS,
  });
}

/**
 * A Lambda handler: `{"frame": base64 request}` in, `{"frame": base64 response}` out. Typed errors travel as error
 * frames, so the caller gets the code; only crashes surface as Lambda function errors.
 */
export function createHopLambdaHandler(fn: HopFunction): (event: unknown) => Promise<FramePayload> {
  return async (event) => {
    let request: ArrayBuffer;
    try {
      request = fromFramePayload(event, 'hop event');
    } catch (error) {
      return toFramePayload(encodeError(error));
    }
    return toFramePayload(await fn.handleFrame(request));
  };
}

import { encodeError } from '../transport/frame.ts';
import { type FramesPayload, fromFramesPayload, toFramesPayload } from '../transport/frame-payload.ts';
import { LAMBDA_MAX_FRAME_BYTES } from '../transport/lambda-channel.ts';
import { cacheBudget, HopFunction } from './hop-function.ts';

/** The hop function as Lambda runs it, configured from the function's environment. */
export function hopFunctionFromEnv(env: NodeJS.ProcessEnv = process.env): HopFunction {
  return new HopFunction({
    cacheBytes: cacheBudget(Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 1024)),
    maxResponseBytes: LAMBDA_MAX_FRAME_BYTES,
    graphsPrefix: env.FANOUT_GRAPHS,
  });
}

/**
 * A Lambda handler: `{"frames": [base64 request, …]}` in, `{"frames": [base64 response, …]}` out. Typed errors travel
 * as error frames, so the caller gets the code; only crashes surface as Lambda function errors.
 */
export function createHopLambdaHandler(fn: HopFunction): (event: unknown) => Promise<FramesPayload> {
  return async (event) => {
    let requests: ArrayBuffer[];
    try {
      requests = fromFramesPayload(event, 'hop event');
    } catch (error) {
      return toFramesPayload([encodeError(error)]);
    }
    return toFramesPayload(await fn.handleFrames(requests));
  };
}

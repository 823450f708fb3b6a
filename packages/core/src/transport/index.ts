export { CallPolicy, type CallPolicyOptions, type CallStats, RESILIENT_POLICY, sizeClass } from './call-policy.ts';
export { type CreateInvokerOptions, createInvoker, TRANSPORTS, type TransportName } from './create-invoker.ts';
export {
  decodeRequest,
  decodeResponse,
  encodeError,
  encodeRequest,
  encodeResponse,
  packFrames,
  requestFrameBytes,
  responseFrameBytes,
  truncateResponse,
  unpackFrames,
} from './frame.ts';
export {
  type FramesPayload,
  framesPayloadBytes,
  fromFramesPayload,
  fromFramesPayloadBytes,
  toFramesPayload,
} from './frame-payload.ts';
export { assignPartitionsToFunctions, partitionBytes } from './function-pool.ts';
export { HOP_HTTP_PATH, HttpChannel, type HttpChannelOptions } from './http-channel.ts';
export { InProcessInvoker } from './in-process.ts';
export type { Invoker, InvokeTrace } from './invoker.ts';
export { createLambdaClient, LAMBDA_MAX_FRAME_BYTES, LambdaChannel } from './lambda-channel.ts';
export { PartitionRouter } from './partition-router.ts';
export {
  type FrameChannel,
  RemoteInvoker,
  type RemoteInvokerOptions,
  type RemoteInvokerStats,
} from './remote-invoker.ts';
export { RetryingInvoker } from './retrying-invoker.ts';
export { WorkerPoolInvoker, type WorkerPoolOptions } from './worker-pool.ts';

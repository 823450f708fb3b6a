export { CallPolicy, type CallPolicyOptions, type CallStats } from './call-policy.ts';
export { type CreateInvokerOptions, createInvoker, TRANSPORTS, type TransportName } from './create-invoker.ts';
export {
  decodeRequest,
  decodeResponse,
  encodeError,
  encodeRequest,
  encodeResponse,
  requestFrameBytes,
  responseFrameBytes,
  truncateResponse,
} from './frame.ts';
export {
  type FramePayload,
  framePayloadBytes,
  fromFramePayload,
  fromFramePayloadBytes,
  toFramePayload,
} from './frame-payload.ts';
export { assignPartitionsToFunctions, partitionBytes } from './function-pool.ts';
export { HOP_HTTP_PATH, HttpChannel, type HttpChannelOptions } from './http-channel.ts';
export { InProcessInvoker } from './in-process.ts';
export type { Invoker } from './invoker.ts';
export { createLambdaClient, LAMBDA_MAX_RESPONSE_BYTES, LambdaChannel } from './lambda-channel.ts';
export { PartitionRouter } from './partition-router.ts';
export {
  type FrameChannel,
  RemoteInvoker,
  type RemoteInvokerOptions,
  type RemoteInvokerStats,
} from './remote-invoker.ts';
export { WorkerPoolInvoker, type WorkerPoolOptions } from './worker-pool.ts';

export { type CreateInvokerOptions, createInvoker, TRANSPORTS, type TransportName } from './create-invoker.ts';
export { decodeRequest, decodeResponse, encodeError, encodeRequest, encodeResponse } from './frame.ts';
export { InProcessInvoker } from './in-process.ts';
export type { Invoker } from './invoker.ts';
export { PartitionRouter } from './partition-router.ts';
export { WorkerPoolInvoker, type WorkerPoolOptions } from './worker-pool.ts';

export { edgeHandler } from './edge.ts';
export { FunctionRuntime, type InvocationResult, LAMBDA_MAX_PAYLOAD, type LocalFunction } from './function-runtime.ts';
export { type ListenOptions, type RunningServer, serveFetch, serveNode } from './http-server.ts';
export { invokeHandler, isInvokeRequest } from './invoke-endpoint.ts';
export { startLambdaService } from './lambda-service.ts';
export { LOCAL_S3_CREDENTIALS, type LocalS3Options, type LocalS3Server, startLocalS3 } from './s3-server.ts';

import { parentPort, workerData } from 'node:worker_threads';
import { FunctionRuntime, type LocalFunction } from './function-runtime.ts';
import { serveNode } from './http-server.ts';
import { invokeHandler } from './invoke-endpoint.ts';

/**
 * The local Lambda service in its own thread: the Invoke endpoint and the function containers it starts, off the
 * thread of whoever calls it (the API, in `fanout dev`), as the Lambda service is off the caller's machine on AWS.
 */
const { functions, port } = workerData as { functions: Record<string, LocalFunction>; port: number };
const runtime = new FunctionRuntime(functions);
const server = await serveNode(invokeHandler(runtime), { port });
parentPort!.postMessage({ url: server.url, port: server.port });
parentPort!.once('message', async () => {
  await server.close();
  await runtime.close();
  parentPort!.postMessage({ closed: true });
});

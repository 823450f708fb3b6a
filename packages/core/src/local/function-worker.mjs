// One local Lambda container: a worker thread that imports a function's module (TypeScript, through tsx's API, as
// workers start without the parent's loader flags) and calls its exported handler, one event at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { modulePath, exportName, functionName, memoryMb, timeoutMs } = workerData;
const module = await import(modulePath);
const handler = module[exportName];
if (typeof handler !== 'function') throw new Error(`${modulePath} exports no function "${exportName}"`);

parentPort.on('message', async ({ id, event }) => {
  const started = Date.now();
  const context = {
    functionName,
    functionVersion: '$LATEST',
    memoryLimitInMB: String(memoryMb),
    awsRequestId: `local-${id}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  };
  try {
    const result = await handler(event, context);
    parentPort.postMessage({ id, result: JSON.stringify(result ?? null) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort.postMessage({
      id,
      error: { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') },
    });
  }
});
parentPort.postMessage({ ready: true });

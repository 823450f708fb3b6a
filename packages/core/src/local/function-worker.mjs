// One local Lambda container: a worker thread that imports a function's module (TypeScript, through tsx's API, as
// workers start without the parent's loader flags) and calls its exported handler, one event at a time. Payloads
// cross as JSON bytes whose buffers are transferred, so parsing and serializing happen here, off the endpoint's thread.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { modulePath, exportName, functionName, memoryMb, timeoutMs } = workerData;
const module = await import(modulePath);
const handler = module[exportName];
if (typeof handler !== 'function') throw new Error(`${modulePath} exports no function "${exportName}"`);
const decoder = new TextDecoder();

parentPort.on('message', async ({ id, payload: request }) => {
  let event;
  try {
    const text = decoder.decode(request);
    event = text === '' ? {} : JSON.parse(text);
  } catch {
    parentPort.postMessage({ id, invalidRequest: true });
    return;
  }
  const started = Date.now();
  const context = {
    functionName,
    functionVersion: '$LATEST',
    memoryLimitInMB: String(memoryMb),
    awsRequestId: `local-${id}`,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  };
  let json;
  let error;
  try {
    json = JSON.stringify((await handler(event, context)) ?? null);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    error = true;
    json = JSON.stringify({ errorType: err.name, errorMessage: err.message, trace: (err.stack ?? '').split('\n') });
  }
  // Encoded into a buffer of its own (not Node's shared pool), so it can be transferred rather than copied.
  const payload = Buffer.allocUnsafeSlow(Buffer.byteLength(json));
  payload.write(json);
  parentPort.postMessage({ id, payload, error }, [payload.buffer]);
});
parentPort.postMessage({ ready: true });

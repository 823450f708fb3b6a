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

parentPort.on('message', async ({ id, payload }) => {
  let event;
  try {
    const text = decoder.decode(payload);
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
  let out;
  let error;
  try {
    out = Buffer.from(JSON.stringify((await handler(event, context)) ?? null));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    error = true;
    out = Buffer.from(
      JSON.stringify({ errorType: err.name, errorMessage: err.message, trace: (err.stack ?? '').split('\n') }),
    );
  }
  // A fresh ArrayBuffer (not Node's shared pool) so it can be transferred.
  const bytes = new Uint8Array(out.length);
  bytes.set(out);
  parentPort.postMessage({ id, payload: bytes, error }, [bytes.buffer]);
});
parentPort.postMessage({ ready: true });

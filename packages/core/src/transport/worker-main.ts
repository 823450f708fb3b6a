import { parentPort, workerData } from 'node:worker_threads';
import { HopService } from '../sampling/hop-service.ts';
import { decodeRequest, encodeError, encodeResponse } from './frame.ts';

/**
 * One hop-function instance in a worker thread, like one Lambda container: its own partition cache, fed binary
 * frames, answering with frames whose buffers are transferred, not copied.
 */
const service = new HopService({ cacheBytes: (workerData as { cacheBytes?: number }).cacheBytes });
const port = parentPort!;

port.on('message', async ({ id, frame }: { id: number; frame: ArrayBuffer }) => {
  let out: ArrayBuffer;
  try {
    out = encodeResponse(await service.handle(decodeRequest(frame)));
  } catch (error) {
    out = encodeError(error);
  }
  port.postMessage({ id, frame: out }, [out]);
});

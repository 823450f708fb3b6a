import { parentPort, workerData } from 'node:worker_threads';
import { HopService } from '../sampling/hop-service.ts';
import { KernelHeap } from '../sampling/kernel/kernel-heap.ts';
import { decodeRequest, encodeError, encodeResponse } from './frame.ts';
import { describeAnswer } from './shared-answer.ts';
import { sharedBuffer } from './shared-memory.ts';
import type { ToWorker, WorkerStart } from './worker-pool.ts';

/**
 * One hop-function instance in a worker thread, like one Lambda container: its own partition cache, fed binary
 * frames (read in place from the coordinator's shared memory where it has one). Answers the kernels sample stay in this thread's kernel heap, whose shared memory the coordinator reads
 * them from in place (it says when it is done with each); other answers and errors go back as frames whose buffers
 * are transferred, not copied.
 */
const start = workerData as WorkerStart;
const service = new HopService({ cacheBytes: start.cacheBytes });
const heap = KernelHeap.get();
const port = parentPort!;
if (heap) port.postMessage({ memory: heap.memory });

port.on('message', async ({ id, request, frame, free }: ToWorker) => {
  if (free) for (const at of free) heap?.free(at);
  if (id === undefined) return;
  let out: ArrayBuffer;
  try {
    // A frame in the coordinator's memory is read before the answer is posted; the coordinator frees it after.
    const bytes = request
      ? new Uint8Array(
          sharedBuffer(start.memory!, request.at, request.bytes, 'a request frame'),
          request.at,
          request.bytes,
        )
      : frame!;
    const response = await service.handle(decodeRequest(bytes), heap !== undefined);
    if (response.heapBlock !== undefined) {
      port.postMessage({ id, shared: describeAnswer(response, response.heapBlock) });
      return;
    }
    out = encodeResponse(response);
  } catch (error) {
    out = encodeError(error);
  }
  port.postMessage({ id, frame: out }, [out]);
});

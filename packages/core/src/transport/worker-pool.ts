import { Worker } from 'node:worker_threads';
import { FanoutError } from '../errors/index.ts';
import type { HopRequest, HopResponse } from '../sampling/hop.ts';
import { decodeResponse, encodeRequest } from './frame.ts';
import type { Invoker, InvokeTrace } from './invoker.ts';

export interface WorkerPoolOptions {
  /** Function instances (threads); partition p is served by instance p mod workers. Default 4. */
  workers?: number;
  /** Byte budget of each instance's partition cache. */
  cacheBytes?: number;
}

interface Pending {
  resolve: (response: HopResponse) => void;
  reject: (error: Error) => void;
}

/**
 * Hop functions as worker threads, one per function instance, each with its own partition cache loaded from the
 * object store: Lambda containers modelled on one machine. Requests and responses cross as binary frames whose
 * buffers are transferred. A fixed partition → instance map keeps each instance's cache to its own partitions.
 */
export class WorkerPoolInvoker implements Invoker {
  readonly name = 'workers';
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    const count = options.workers ?? 4;
    if (!Number.isInteger(count) || count < 1 || count > 256) {
      throw new FanoutError('INVALID_ARGUMENT', `workers must be an integer in [1, 256], got ${count}`);
    }
    const entry = new URL('./worker-entry.mjs', import.meta.url);
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(entry, { execArgv: [], workerData: { cacheBytes: options.cacheBytes } });
      worker.on('message', ({ id, frame }: { id: number; frame: ArrayBuffer }) => this.settle(id, frame));
      worker.on('error', (error) =>
        this.failAll(new FanoutError('TRANSPORT_ERROR', `hop worker crashed: ${error.message}`, { cause: error })),
      );
      worker.on('exit', (code) => {
        if (!this.closed) this.failAll(new FanoutError('TRANSPORT_ERROR', `hop worker exited with code ${code}`));
      });
      worker.unref();
      return worker;
    });
  }

  invoke(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    if (this.closed) return Promise.reject(new FanoutError('TRANSPORT_ERROR', 'the worker pool is closed'));
    const id = this.nextId++;
    if (trace) trace.calls++;
    const frame = encodeRequest(request);
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) for (const w of this.workers) w.ref();
      this.pending.set(id, { resolve, reject });
      this.workers[request.part % this.workers.length].postMessage({ id, frame }, [frame]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new FanoutError('TRANSPORT_ERROR', 'the worker pool was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(id: number, frame: ArrayBuffer): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    this.idleIfDone();
    try {
      pending.resolve(decodeResponse(frame));
    } catch (error) {
      pending.reject(error as Error);
    }
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.idleIfDone();
  }

  /** Idle workers do not keep the process alive; busy ones do, so a pending sample is never cut short. */
  private idleIfDone(): void {
    if (this.pending.size === 0) for (const w of this.workers) w.unref();
  }
}

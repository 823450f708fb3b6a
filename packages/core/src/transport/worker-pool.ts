import { Worker } from 'node:worker_threads';
import { FanoutError } from '../errors/index.ts';
import type { HopRequest, HopResponse } from '../sampling/hop.ts';
import { decodeResponse, encodeRequest } from './frame.ts';
import type { Invoker, InvokeTrace } from './invoker.ts';

const WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export interface WorkerPoolOptions {
  /** Function instances (threads); partition p is served by instance p mod workers. Default 4. */
  workers?: number;
  /** Byte budget of each instance's partition cache. */
  cacheBytes?: number;
}

interface Pending {
  resolve: (response: HopResponse) => void;
  reject: (error: Error) => void;
  /** The instance it was sent to. */
  slot: number;
}

/**
 * Hop functions as worker threads, one per function instance, each with its own partition cache loaded from the
 * object store: Lambda containers modelled on one machine. Requests and responses cross as binary frames whose
 * buffers are transferred. A fixed partition → instance map keeps each instance's cache to its own partitions.
 * An instance that dies (a crash, an out-of-memory exit) fails its own pending requests with a retryable error and is
 * replaced by a fresh one, as Lambda replaces a container; callers under a retry policy then simply try again.
 */
export class WorkerPoolInvoker implements Invoker {
  readonly name = 'workers';
  private readonly workers: Worker[];
  private readonly cacheBytes?: number;
  /** Slots given up on, with the error their requests get. */
  private readonly broken: (FanoutError | undefined)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    const count = options.workers ?? 4;
    if (!Number.isInteger(count) || count < 1 || count > 256) {
      throw new FanoutError('INVALID_ARGUMENT', `workers must be an integer in [1, 256], got ${count}`);
    }
    this.cacheBytes = options.cacheBytes;
    this.workers = Array.from({ length: count }, (_, slot) => this.spawn(slot));
  }

  /**
   * A new instance in `slot`: its answers settle its requests; its death fails them and replaces it, unless it died
   * young without answering anything (a broken instance would only die again: the slot is then given up).
   */
  private spawn(slot: number): Worker {
    const worker = new Worker(WORKER_ENTRY, { execArgv: [], workerData: { cacheBytes: this.cacheBytes } });
    const born = performance.now();
    let answered = false;
    worker.on('message', ({ id, frame }: { id: number; frame: ArrayBuffer }) => {
      answered = true;
      this.settle(id, frame);
    });
    let failed = false;
    const fail = (reason: string, cause?: unknown) => {
      if (failed || this.closed) return;
      failed = true;
      const replace = answered || performance.now() - born > 1_000;
      const error = new FanoutError('TRANSPORT_ERROR', `hop worker ${slot} ${reason}`, { cause, retryable: replace });
      if (replace) {
        this.workers[slot] = this.spawn(slot);
        if (this.pending.size > 0) this.workers[slot].ref();
      } else this.broken[slot] = error;
      this.failSlot(slot, error);
    };
    worker.on('error', (error) => fail(`crashed: ${error.message}`, error));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    worker.unref();
    return worker;
  }

  invoke(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    if (this.closed) return Promise.reject(new FanoutError('TRANSPORT_ERROR', 'the worker pool is closed'));
    const slot = request.part % this.workers.length;
    if (this.broken[slot]) return Promise.reject(this.broken[slot]);
    const id = this.nextId++;
    if (trace) trace.calls++;
    const frame = encodeRequest(request);
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) for (const w of this.workers) w.ref();
      this.pending.set(id, { resolve, reject, slot });
      this.workers[slot].postMessage({ id, frame }, [frame]);
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

  private failSlot(slot: number, error: Error): void {
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.reject(error);
    }
    this.idleIfDone();
  }

  /** Idle workers do not keep the process alive; busy ones do, so a pending sample is never cut short. */
  private idleIfDone(): void {
    if (this.pending.size === 0) for (const w of this.workers) w.unref();
  }
}

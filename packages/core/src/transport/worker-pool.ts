import { Worker } from 'node:worker_threads';
import { FanoutError } from '../errors/index.ts';
import type { HopRequest, HopResponse } from '../sampling/hop.ts';
import { KernelHeap } from '../sampling/kernel/kernel-heap.ts';
import { decodeResponse, encodeRequest, encodeRequestInto, requestFrameBytes } from './frame.ts';
import type { Invoker, InvokeTrace } from './invoker.ts';
import { cpuProfileFlags } from './profiling-flags.ts';
import { readAnswer, type SharedAnswer } from './shared-answer.ts';

const WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export interface WorkerPoolOptions {
  /** Function instances (threads); partition p is served by instance p mod workers. Default 4. */
  workers?: number;
  /** Byte budget of each instance's partition cache. */
  cacheBytes?: number;
}

/**
 * What the coordinator posts to an instance: a request frame (in the coordinator's kernel heap, which the instance
 * reads through its shared memory, or in a buffer of its own), and heap blocks of earlier answers to free.
 */
export interface ToWorker {
  id?: number;
  request?: { at: number; bytes: number };
  frame?: ArrayBuffer;
  free?: number[];
}

/** What an instance starts with. */
export interface WorkerStart {
  cacheBytes?: number;
  /** The coordinator's kernel-heap memory, where request frames are. */
  memory?: WebAssembly.Memory;
}

/** What an instance posts back: its heap's memory (first), or an answer (in its heap, or a frame) to request `id`. */
type FromWorker =
  | { memory: WebAssembly.Memory }
  | { id: number; shared: SharedAnswer }
  | { id: number; frame: ArrayBuffer };

/** One live instance: its thread, the memory its answers are read from, the blocks to give back to it. */
interface Instance {
  worker: Worker;
  memory?: WebAssembly.Memory;
  free: number[];
}

interface Pending {
  resolve: (response: HopResponse) => void;
  reject: (error: Error) => void;
  /** The instance it was sent to. */
  slot: number;
  /** The heap block of its request frame, freed once the request is settled. */
  frameBlock?: number;
}

/**
 * Hop functions as worker threads, one per function instance, each with its own partition cache loaded from the
 * object store: Lambda containers modelled on one machine. Nothing bulky is copied or transferred between the
 * threads: request frames are written into the coordinator's kernel heap, answers stay in the instance's, and each
 * side reads the other's through its shared memory. The caller releases each response once merged
 * (HopResponse.release), and its block goes back to the instance with the next request (or at once when none
 * follows); dropped responses are given back when collected. Measured on ego-Twitter, this took the workers
 * transport from 0.7× to about 1.15× the single-thread in-process sampler, the copies and garbage of transferred
 * frames gone. A fixed partition → instance map keeps each instance's cache to its own partitions.
 * An instance that dies (a crash, an out-of-memory exit) fails its own pending requests with a retryable error and is
 * replaced by a fresh one, as Lambda replaces a container; callers under a retry policy then simply try again.
 */
export class WorkerPoolInvoker implements Invoker {
  readonly name = 'workers';
  private readonly instances: Instance[];
  private readonly cacheBytes?: number;
  /** Where request frames are written for the instances to read, where shared memory is available. */
  private readonly heap = KernelHeap.get();
  /** Slots given up on, with the error their requests get. */
  private readonly broken: (FanoutError | undefined)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;
  /** Whether queued blocks will be sent back at the next turn of the event loop. */
  private flushing = false;
  /** Answers dropped without `release`: their blocks go back once all their views are collected. */
  private readonly unreleased = new FinalizationRegistry<{ instance: Instance; block: number; views: number }>(
    (loan) => {
      if (--loan.views === 0) this.giveBack(loan.instance, loan.block);
    },
  );

  constructor(options: WorkerPoolOptions = {}) {
    const count = options.workers ?? 4;
    if (!Number.isInteger(count) || count < 1 || count > 256) {
      throw new FanoutError('INVALID_ARGUMENT', `workers must be an integer in [1, 256], got ${count}`);
    }
    this.cacheBytes = options.cacheBytes;
    this.instances = Array.from({ length: count }, (_, slot) => this.spawn(slot));
  }

  /**
   * A new instance in `slot`: its answers settle its requests; its death fails them and replaces it, unless it died
   * young without answering anything (a broken instance would only die again: the slot is then given up).
   */
  private spawn(slot: number): Instance {
    const workerData: WorkerStart = { cacheBytes: this.cacheBytes, memory: this.heap?.memory };
    // Without the parent's loader flags (the entry sets up its own), but profiling when the parent does.
    const worker = new Worker(WORKER_ENTRY, { execArgv: cpuProfileFlags(), workerData });
    const instance: Instance = { worker, free: [] };
    const born = performance.now();
    let answered = false;
    worker.on('message', (message: FromWorker) => {
      if ('memory' in message) {
        instance.memory = message.memory;
        return;
      }
      answered = true;
      this.settle(instance, message);
    });
    let failed = false;
    const fail = (reason: string, cause?: unknown) => {
      if (failed || this.closed) return;
      failed = true;
      const replace = answered || performance.now() - born > 1_000;
      const error = new FanoutError('TRANSPORT_ERROR', `hop worker ${slot} ${reason}`, { cause, retryable: replace });
      if (replace) {
        this.instances[slot] = this.spawn(slot);
        if (this.pending.size > 0) this.instances[slot].worker.ref();
      } else this.broken[slot] = error;
      this.failSlot(slot, error);
    };
    worker.on('error', (error) => fail(`crashed: ${error.message}`, error));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    worker.unref();
    return instance;
  }

  invoke(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    if (this.closed) return Promise.reject(new FanoutError('TRANSPORT_ERROR', 'the worker pool is closed'));
    const slot = request.part % this.instances.length;
    if (this.broken[slot]) return Promise.reject(this.broken[slot]);
    const id = this.nextId++;
    if (trace) trace.calls++;
    const message: ToWorker = { id };
    const bytes = requestFrameBytes(request);
    const block = this.heap?.int32(Math.ceil(bytes / 4));
    if (block) {
      encodeRequestInto(request, new Uint8Array(block.buffer, block.byteOffset, bytes));
      message.request = { at: block.byteOffset, bytes };
    } else message.frame = encodeRequest(request);
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) for (const { worker } of this.instances) worker.ref();
      this.pending.set(id, { resolve, reject, slot, frameBlock: block?.byteOffset });
      const instance = this.instances[slot];
      if (instance.free.length > 0) {
        message.free = instance.free;
        instance.free = [];
      }
      instance.worker.postMessage(message, message.frame ? [message.frame] : []);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new FanoutError('TRANSPORT_ERROR', 'the worker pool was closed'));
    await Promise.all(this.instances.map(({ worker }) => worker.terminate()));
  }

  private settle(
    instance: Instance,
    message: { id: number; shared: SharedAnswer } | { id: number; frame: ArrayBuffer },
  ) {
    const pending = this.pending.get(message.id);
    if (!pending) {
      if ('shared' in message) this.giveBack(instance, message.shared.block);
      return;
    }
    this.forget(message.id, pending);
    try {
      if ('frame' in message) pending.resolve(decodeResponse(message.frame));
      else pending.resolve(this.lent(instance, message.shared));
    } catch (error) {
      pending.reject(error as Error);
    }
  }

  /**
   * An answer read in place from the instance's memory. Its block goes back on `release`, or, should the caller
   * drop the response unreleased (a hedge that lost), once every view of it has been collected.
   */
  private lent(instance: Instance, answer: SharedAnswer): HopResponse {
    if (!instance.memory) throw new FanoutError('TRANSPORT_ERROR', 'a hop worker answered before sharing its memory');
    const loan = { instance, block: answer.block, views: 0 };
    const response = readAnswer(instance.memory, answer, () => {
      this.unreleased.unregister(loan);
      this.giveBack(instance, answer.block);
    });
    for (const view of [response.counts, response.nbr, response.eidLo, response.eidHi]) {
      if (!view) continue;
      loan.views++;
      this.unreleased.register(view, loan, loan);
    }
    return response;
  }

  /** Queues a block for its instance (unless it has been replaced since): sent with its next request, or soon. */
  private giveBack(instance: Instance, block: number): void {
    if (this.closed || !this.instances.includes(instance)) return;
    instance.free.push(block);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      for (const i of this.instances) {
        if (i.free.length === 0) continue;
        i.worker.postMessage({ free: i.free } satisfies ToWorker);
        i.free = [];
      }
    });
  }

  private failAll(error: Error): void {
    for (const [id, p] of this.pending) {
      this.forget(id, p);
      p.reject(error);
    }
  }

  private failSlot(slot: number, error: Error): void {
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.forget(id, p);
      p.reject(error);
    }
  }

  /** A request settled: its frame's block is free again, and the pool may go idle. */
  private forget(id: number, pending: Pending): void {
    this.pending.delete(id);
    if (pending.frameBlock !== undefined) this.heap?.free(pending.frameBlock);
    this.idleIfDone();
  }

  /** Idle workers do not keep the process alive; busy ones do, so a pending sample is never cut short. */
  private idleIfDone(): void {
    if (this.pending.size === 0) for (const { worker } of this.instances) worker.unref();
  }
}

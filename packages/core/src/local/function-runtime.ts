import { Worker } from 'node:worker_threads';
import { FanoutError } from '../errors/index.ts';
import { cpuProfileFlags } from '../transport/profiling-flags.ts';

export interface LocalFunction {
  /** File URL or path of the module exporting the handler. */
  module: string;
  /** Export name (default `handler`). */
  export?: string;
  /** Environment variables over the parent's. */
  env?: Record<string, string>;
  memoryMb?: number;
  timeoutSec?: number;
  /** Containers (worker threads) at most; requests queue when all are busy (default 1). */
  concurrency?: number;
}

/** What an invocation returned, as Lambda reports it: the handler's JSON result, or a function error. */
export type InvocationResult =
  | { ok: true; payload: Uint8Array }
  | { ok: false; payload: Uint8Array; errorType: 'Unhandled' }
  | { ok: false; invalidRequest: true };

interface Container {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
}

interface Job {
  payload: Uint8Array;
  resolve: (result: InvocationResult) => void;
}

interface WorkerMessage {
  id: number;
  payload?: Uint8Array;
  error?: boolean;
  invalidRequest?: boolean;
}

/** Lambda's synchronous request and response limit. */
export const LAMBDA_MAX_PAYLOAD = 6 * 1024 * 1024;

/**
 * Lambda functions run locally: each function gets containers (worker threads, each with its own module state, as
 * Lambda containers have), started on first use and reused warm; a handler that runs past its timeout has its
 * container killed and replaced, and a result larger than Lambda's 6 MB limit is an error, as on AWS. Events and
 * results are JSON bytes, transferred to and from the container.
 */
export class FunctionRuntime {
  private readonly containers = new Map<string, Container[]>();
  private readonly queues = new Map<string, Job[]>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly functions: Record<string, LocalFunction>) {}

  has(name: string): boolean {
    return name in this.functions;
  }

  /** Invokes `name` with a JSON event (its bytes, or a value to serialize). */
  invoke(name: string, event: Uint8Array | unknown): Promise<InvocationResult> {
    if (!this.has(name)) return Promise.reject(new FanoutError('NOT_FOUND', `no function ${name}`));
    if (this.closed) return Promise.reject(new FanoutError('TRANSPORT_ERROR', 'the function runtime is closed'));
    const payload = event instanceof Uint8Array ? event : new TextEncoder().encode(JSON.stringify(event));
    return new Promise((resolve) => {
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      queue.push({ payload, resolve });
      this.dispatch(name);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.containers.values()].flat();
    this.containers.clear();
    await Promise.all(all.map((c) => c.worker.terminate()));
  }

  private dispatch(name: string): void {
    const queue = this.queues.get(name)!;
    const spec = this.functions[name];
    const pool = this.containers.get(name) ?? [];
    this.containers.set(name, pool);
    while (queue.length > 0) {
      let container = pool.find((c) => !c.busy);
      if (!container && pool.length < (spec.concurrency ?? 1)) {
        container = this.start(name, spec);
        pool.push(container);
      }
      if (!container) return;
      void this.run(name, spec, container, queue.shift()!);
    }
  }

  private start(name: string, spec: LocalFunction): Container {
    const memoryMb = spec.memoryMb ?? 1024;
    const worker = new Worker(new URL('./function-worker.mjs', import.meta.url), {
      // Containers start without the parent's loader flags, but profile when the parent does (`node --cpu-prof`).
      execArgv: cpuProfileFlags(),
      env: {
        ...process.env,
        AWS_LAMBDA_FUNCTION_NAME: name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
        ...spec.env,
      },
      workerData: {
        modulePath: spec.module,
        exportName: spec.export ?? 'handler',
        functionName: name,
        memoryMb,
        timeoutMs: (spec.timeoutSec ?? 30) * 1000,
      },
    });
    worker.unref();
    // A crash after start surfaces as the container's exit, which fails its invocation; keep it from the process.
    worker.on('error', () => {});
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    ready.catch(() => {});
    return { worker, ready, busy: false };
  }

  private async run(name: string, spec: LocalFunction, container: Container, job: Job): Promise<void> {
    container.busy = true;
    const timeoutSec = spec.timeoutSec ?? 30;
    const id = this.nextId++;
    const result = await new Promise<InvocationResult>((resolve) => {
      const fail = (errorType: string, errorMessage: string) =>
        resolve({
          ok: false,
          errorType: 'Unhandled',
          payload: new TextEncoder().encode(JSON.stringify({ errorType, errorMessage })),
        });
      const timer = setTimeout(() => {
        fail('Sandbox.Timedout', `Task timed out after ${timeoutSec.toFixed(2)} seconds`);
        this.replace(name, container);
      }, timeoutSec * 1000);
      const onExit = (code: number) => {
        clearTimeout(timer);
        fail('Runtime.ExitError', `the container exited with code ${code}`);
        this.replace(name, container);
      };
      const onMessage = (message: WorkerMessage) => {
        if (message.id !== id) return;
        container.worker.off('message', onMessage);
        container.worker.off('exit', onExit);
        clearTimeout(timer);
        if (message.invalidRequest) resolve({ ok: false, invalidRequest: true });
        else if (message.error) resolve({ ok: false, errorType: 'Unhandled', payload: message.payload! });
        else if (message.payload!.length > LAMBDA_MAX_PAYLOAD) {
          fail(
            'Function.ResponseSizeTooLarge',
            `Response payload size exceeded maximum allowed payload size (${LAMBDA_MAX_PAYLOAD} bytes).`,
          );
        } else resolve({ ok: true, payload: message.payload! });
      };
      container.worker.ref();
      container.worker.once('exit', onExit);
      container.ready.then(
        () => {
          container.worker.on('message', onMessage);
          // A view on part of a buffer is copied, as its buffer is not ours to transfer (and Buffer#slice is a view).
          const payload =
            job.payload.byteOffset === 0 && job.payload.byteLength === job.payload.buffer.byteLength
              ? job.payload
              : new Uint8Array(job.payload);
          container.worker.postMessage({ id, payload }, [payload.buffer as ArrayBuffer]);
        },
        (error: Error) => {
          clearTimeout(timer);
          fail('Runtime.ImportModuleError', error.message);
          this.replace(name, container);
        },
      );
    });
    container.busy = false;
    container.worker.unref();
    job.resolve(result);
    if (!this.closed) this.dispatch(name);
  }

  /** Drops a dead or timed-out container; the next request starts a fresh one (a cold start). */
  private replace(name: string, container: Container): void {
    const pool = this.containers.get(name);
    if (pool)
      this.containers.set(
        name,
        pool.filter((c) => c !== container),
      );
    container.worker.removeAllListeners();
    void container.worker.terminate();
  }
}

import { Worker } from 'node:worker_threads';
import { FanoutError } from '../errors/index.ts';
import { cpuProfileFlags } from '../transport/profiling-flags.ts';
import type { LocalFunction } from './function-runtime.ts';
import type { RunningServer } from './http-server.ts';

/**
 * Starts the local Lambda service (Invoke endpoint plus function containers) in a thread of its own and resolves
 * with its URL once it listens on 127.0.0.1.
 */
export function startLambdaService(functions: Record<string, LocalFunction>, port = 0): Promise<RunningServer> {
  const worker = new Worker(new URL('./lambda-service-entry.mjs', import.meta.url), {
    // Profile with the parent (`node --cpu-prof`); loader flags are set up by the entry itself.
    execArgv: cpuProfileFlags(),
    workerData: { functions, port },
  });
  return new Promise((resolve, reject) => {
    worker.once('error', (error) =>
      reject(new FanoutError('TRANSPORT_ERROR', `the local Lambda service failed: ${error.message}`, { cause: error })),
    );
    worker.once('message', ({ url, port: actual }: { url: string; port: number }) =>
      resolve({
        url,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            worker.once('message', () => void worker.terminate().then(() => done()));
            worker.postMessage('close');
          }),
      }),
    );
  });
}

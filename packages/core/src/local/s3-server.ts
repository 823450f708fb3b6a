import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { FanoutError } from '../errors/index.ts';

/** s3rver accepts only its own fixed key pair; any client of the local server signs with these. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3Options {
  /** Where s3rver keeps buckets and objects (created if missing). */
  directory: string;
  buckets: string[];
  /** 0 (default) picks a free loopback port. */
  port?: number;
  /** Called for each S3 event notification (ObjectCreated:Put, …), in the AWS event shape. */
  onEvent?: (event: unknown) => void;
}

export interface LocalS3Server {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts a real S3-compatible server (s3rver) on 127.0.0.1 in a child process and waits until it listens. */
export async function startLocalS3(options: LocalS3Options): Promise<LocalS3Server> {
  await mkdir(options.directory, { recursive: true });
  const script = fileURLToPath(new URL('./s3rver-process.mjs', import.meta.url));
  const config = JSON.stringify({ port: options.port ?? 0, directory: options.directory, buckets: options.buckets });
  const child = spawn(process.execPath, ['--openssl-legacy-provider', script, config], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { listening?: { port: number }; event?: unknown };
      if (message.listening) resolvePort(message.listening.port);
      else if (message.event !== undefined) options.onEvent?.(message.event);
    });
    child.once('exit', (code) =>
      reject(
        new FanoutError('STORAGE_ERROR', `local S3 server exited with code ${code} before listening: ${stderr.trim()}`),
      ),
    );
  });
  return { endpoint: `http://127.0.0.1:${port}`, port, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}

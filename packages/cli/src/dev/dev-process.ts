import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const FANOUT = new URL('../../bin/fanout.js', import.meta.url).pathname;

export interface DevEndpoints {
  api: string;
  s3: string;
  lambda: string;
  edge?: string;
  bucket: string;
}

export interface DevProcess extends DevEndpoints {
  /** The stack's process (its API, functions runtime and S3 server run in it or its threads). */
  pid: number;
  /** Resolves with the next partition job outcome line the stack logs. */
  nextJob(): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `fanout dev` in a child process on free loopback ports, for tests and benchmarks: resolves once the stack prints its
 * endpoints. The SDK endpoint variables of this process are not passed on, so the stack starts its own servers
 * unless `env` names external ones.
 */
export async function spawnDevStack(options: {
  dir: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Node flags for the stack's process (`--cpu-prof` to profile it). */
  nodeArgs?: string[];
}): Promise<DevProcess> {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_LAMBDA']) delete inherited[key];
  const env = { ...inherited, ...options.env };
  const ports = ['--api-port', '0', '--s3-port', '0', '--lambda-port', '0', '--edge-port', '0'];
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), FANOUT, 'dev', '--json', '--dir', options.dir, ...ports, ...(options.args ?? [])],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const jobs: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr = `${stderr}${line}\n`.slice(-4000);
    if (!line.startsWith('[job] partition job for')) return;
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else jobs.push(line);
  });
  const endpoints = await new Promise<DevEndpoints>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as DevEndpoints));
    child.once('exit', (code) => reject(new Error(`fanout dev exited with ${code}: ${stderr}`)));
  });
  return {
    ...endpoints,
    pid: child.pid!,
    nextJob: () => (jobs.length > 0 ? Promise.resolve(jobs.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    stop: () => {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

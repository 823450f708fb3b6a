import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const ROOT = new URL('../', import.meta.url).pathname;
/** The team's shared folder beside the project: datasets and the C++ reference. Benchmarks may read it; tests may not. */
export const SHARED = `${ROOT}../shared`;
/** Where benchmarks keep what they build (partitioned graphs, the reference binary). */
export const WORK = `${ROOT}.fanout/bench`;

/** ego-Twitter from the shared datasets, or the project's own copy when there is no shared folder. */
export function egoTwitterPath(): string {
  const shared = `${SHARED}/datasets/ego-twitter.txt.gz`;
  return existsSync(shared) ? shared : `${ROOT}data/ego-twitter.txt.gz`;
}

/** Runs a TypeScript bench job in a fresh Node process and parses the JSON line it prints. */
export function runJob<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: ROOT, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${script} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as T);
      },
    );
  });
}

/** Runs the installed `fanout` command. */
export function runFanout(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(`${ROOT}node_modules/.bin/fanout`, args, { cwd: ROOT, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`fanout ${args[0]} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * The generated 2M-node / 60M-arc graph, made once and kept in .fanout/bench. It is made in a child process: Linux
 * carries a parent's peak RSS into a forked child's, so the runner must stay small for memory figures to be true.
 */
export async function generatedLargeGraph(): Promise<string> {
  const dir = `${WORK}/generated-2m-60m`;
  if (!existsSync(`${dir}/edges.arrow`)) {
    process.stderr.write('generating the 2M-node / 60M-arc graph (once; kept in .fanout/bench)\n');
    await runFanout(['generate', '--nodes', '2000000', '--edges', '60000000', '--seed', '1', '--out', dir, '-q']);
  }
  return dir;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

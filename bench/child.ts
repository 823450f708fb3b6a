import { execFile } from 'node:child_process';

const ROOT = new URL('../', import.meta.url).pathname;

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

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

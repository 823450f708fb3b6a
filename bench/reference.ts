import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED, WORK } from './child.ts';

const REF_BINARY = join(WORK, 'ref-sampler');

export interface ReferenceRun {
  edges_per_s: number;
  edges_per_batch: number;
  /** With a feature dimension: the gather of every batch's nodes' rows (memcpy per row), in bytes per second. */
  gather_bytes_per_s?: number;
}

/** Builds the C++ reference sampler from ../shared (g++ and zlib are on every machine of this kind). */
export async function buildReference(): Promise<boolean> {
  const source = join(SHARED, 'bench/ref-sampler/sampler.cpp');
  if (!existsSync(source)) return false;
  if (existsSync(REF_BINARY)) return true;
  await new Promise<void>((resolve, reject) =>
    execFile('g++', ['-O3', '-march=native', '-std=c++17', '-o', REF_BINARY, source, '-lz'], (e) =>
      e ? reject(e) : resolve(),
    ),
  );
  return true;
}

/**
 * Runs the reference (batch 1024, PyG mode) and parses its "… => X M sampled edges/s … avg edges/batch=Y" line and,
 * with `featureDim` > 0, its "feature gather … => Z GB/s" line.
 */
export function runReference(
  graph: string,
  batches: number,
  fanouts: string,
  featureDim: number,
): Promise<ReferenceRun> {
  return new Promise((resolve, reject) =>
    execFile(
      REF_BINARY,
      [graph, '1024', String(batches), fanouts, 'pyg', String(featureDim)],
      { maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error) return reject(error);
        const rate = /=> ([\d.]+) M sampled edges\/s/.exec(stdout);
        const perBatch = /avg edges\/batch=(\d+)/.exec(stdout);
        const gather = /feature gather .*=> ([\d.]+) GB\/s/.exec(stdout);
        if (!rate || !perBatch || (featureDim > 0 && !gather)) {
          return reject(new Error(`unexpected reference output: ${stdout}`));
        }
        resolve({
          edges_per_s: Number(rate[1]) * 1e6,
          edges_per_batch: Number(perBatch[1]),
          gather_bytes_per_s: gather ? Number(gather[1]) * 1e9 : undefined,
        });
      },
    ),
  );
}

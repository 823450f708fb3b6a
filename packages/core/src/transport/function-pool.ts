import { FanoutError } from '../errors/index.ts';
import type { Manifest } from '../format/index.ts';

/** Bytes a hop function loads for partition `part`: its graph files over all edge types. */
export function partitionBytes(manifest: Manifest, part: number): number {
  let bytes = 0;
  for (const entry of Object.values(manifest.parts[part].graph)) bytes += entry.bytes;
  return bytes;
}

/**
 * The fixed partition → hop function map of DESIGN.md: Lambda spreads requests over a function's containers at
 * random, so if every function served every partition each container would end up loading all of them. Instead each
 * of the K functions serves a share of the partitions balanced by bytes (largest first, each to the least loaded
 * function; ties to the lower index, so the map depends only on the manifest and K), and its containers cache only
 * that share.
 */
export function assignPartitionsToFunctions(manifest: Manifest, functions: number): Int32Array {
  if (!Number.isInteger(functions) || functions < 1) {
    throw new FanoutError('INVALID_ARGUMENT', `the hop function pool needs at least one function, got ${functions}`);
  }
  const parts = manifest.num_parts;
  const bytes = Float64Array.from({ length: parts }, (_, p) => partitionBytes(manifest, p));
  const order = Array.from({ length: parts }, (_, p) => p).sort((a, b) => bytes[b] - bytes[a] || a - b);
  const load = new Float64Array(functions);
  const assignment = new Int32Array(parts);
  for (const p of order) {
    let best = 0;
    for (let f = 1; f < functions; f++) if (load[f] < load[best]) best = f;
    assignment[p] = best;
    load[best] += bytes[p];
  }
  return assignment;
}

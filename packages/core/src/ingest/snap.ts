import { type GraphData, homogeneousGraph } from '../graph/index.ts';
import type { ProgressListener } from '../progress/index.ts';
import { type InputFile, readChunks } from './byte-source.ts';
import { parseIntTable } from './text-tables.ts';

/**
 * A SNAP edge list: `#` comment lines, then `src<TAB>dst` per line (spaces and commas also accepted), plain or
 * gzipped. Node IDs are the non-negative integers found; num_nodes = max ID + 1.
 */
export async function readSnap(file: InputFile, name: string, onProgress?: ProgressListener): Promise<GraphData> {
  const [src, dst] = await parseIntTable(
    readChunks(file, (done, total) => onProgress?.({ stage: 'read', done, total })),
    { columns: 2, file: file.name },
  );
  return homogeneousGraph(
    name,
    { numNodes: maxPlusOne(src, dst), features: new Map(), masks: {} },
    { src, dst, features: new Map() },
  );
}

export function maxPlusOne(...arrays: Int32Array[]): number {
  let max = -1;
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (a[i] > max) max = a[i];
  return max + 1;
}

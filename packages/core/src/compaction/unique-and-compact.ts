import { FanoutError } from '../errors/index.ts';
import { fmix32 } from '../sampling/keyed-random.ts';
import { NodeMap } from '../sampling/node-map.ts';

/**
 * `dgl.graphbolt.unique_and_compact` on typed arrays: the unique IDs of a list of ID arrays (per node type, for a
 * dict) and the lists rewritten to compact IDs, with the `offsets` GraphBolt returns.
 *
 * Order: unique IDs in order of first appearance across the lists. With `worldSize` > 1 (cooperative minibatching),
 * each ID belongs to rank `rankOf(id, worldSize)` = murmur3-fmix32(id) mod worldSize, and the unique IDs are grouped
 * by rank in the order rank, rank + 1, …, rank - 1 (first appearance inside a group), so
 * `unique[offsets[i], offsets[i + 1])` belongs to rank `(rank + i) % worldSize`. Pass ORIGINAL IDs (a sampler
 * output's `node`), so that ranks do not depend on how the graph was partitioned.
 */
export interface UniqueAndCompactOptions {
  rank?: number;
  worldSize?: number;
}

export interface Compacted {
  unique: Int32Array;
  compacted: Int32Array[];
  /** Length worldSize + 1. */
  offsets: Int32Array;
}

/** The rank an ID belongs to in cooperative minibatching. */
export function rankOf(id: number, worldSize: number): number {
  return fmix32(id >>> 0) % worldSize;
}

export function uniqueAndCompact(nodes: Int32Array[], options?: UniqueAndCompactOptions): Compacted;
export function uniqueAndCompact(
  nodes: Record<string, Int32Array[]>,
  options?: UniqueAndCompactOptions,
): Record<string, Compacted>;
export function uniqueAndCompact(
  nodes: Int32Array[] | Record<string, Int32Array[]>,
  options: UniqueAndCompactOptions = {},
): Compacted | Record<string, Compacted> {
  const rank = options.rank ?? 0;
  const worldSize = options.worldSize ?? 1;
  if (!Number.isInteger(worldSize) || worldSize < 1 || !Number.isInteger(rank) || rank < 0 || rank >= worldSize) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `unique_and_compact: need 0 ≤ rank < world_size, got rank ${rank}, world_size ${worldSize}`,
    );
  }
  if (Array.isArray(nodes)) return compactOne(nodes, rank, worldSize);
  return Object.fromEntries(Object.entries(nodes).map(([ntype, lists]) => [ntype, compactOne(lists, rank, worldSize)]));
}

function compactOne(lists: Int32Array[], rank: number, worldSize: number): Compacted {
  const total = lists.reduce((n, l) => n + l.length, 0);
  const map = new NodeMap(total);
  // Pass 1: first-appearance order, and each list entry's first-appearance index.
  const firstSeen = new Int32Array(total);
  const byAppearance = new Int32Array(total);
  let seen = 0;
  let at = 0;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      const local = map.getOrInsert(list[i], 0, seen);
      if (local === seen) byAppearance[seen++] = list[i];
      firstSeen[at++] = local;
    }
  }
  // Pass 2: a stable counting sort of the unique IDs by rotated rank gives each its final position.
  const position = new Int32Array(seen);
  const offsets = new Int32Array(worldSize + 1);
  const group = new Int32Array(seen);
  for (let u = 0; u < seen; u++) {
    group[u] = (rankOf(byAppearance[u], worldSize) - rank + worldSize) % worldSize;
    offsets[group[u] + 1]++;
  }
  for (let g = 0; g < worldSize; g++) offsets[g + 1] += offsets[g];
  const fill = offsets.slice(0, worldSize);
  const unique = new Int32Array(seen);
  for (let u = 0; u < seen; u++) {
    position[u] = fill[group[u]]++;
    unique[position[u]] = byAppearance[u];
  }
  at = 0;
  const compacted = lists.map((list) => {
    const out = new Int32Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = position[firstSeen[at++]];
    return out;
  });
  return { unique, compacted, offsets };
}

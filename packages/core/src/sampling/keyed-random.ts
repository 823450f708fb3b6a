/**
 * The counter-based generator of the determinism contract. A draw is a pure function of its key: (seed, batch key,
 * hop, edge type) fixed per request, then the node's ORIGINAL ID (and its batch row when disjoint), then the draw's
 * index. No state carries from one node to the next, so the sample does not depend on partitioning, transport,
 * concurrency, chunking or retries. Mixing is murmur3's 32-bit finalizer, a bijection with full avalanche.
 */

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const GOLDEN = 0x9e3779b9;

/** The key shared by every node of one hop request. */
export function requestKey(seed: number, batchKey: number, hop: number, etype: number): number {
  let h = fmix32((seed ^ 0x5bd1e995) >>> 0);
  h = fmix32((h ^ Math.imul(batchKey + 1, GOLDEN)) >>> 0);
  h = fmix32((h ^ Math.imul(hop + 1, 0x27d4eb2f)) >>> 0);
  return fmix32((h ^ Math.imul(etype + 1, 0x165667b1)) >>> 0);
}

/** The key of one node's draws; `row` is the batch row in disjoint mode, -1 otherwise. */
export function nodeKey(base: number, origId: number, row: number): number {
  const h = fmix32((base ^ Math.imul(origId + 1, GOLDEN)) >>> 0);
  return row < 0 ? h : fmix32((h ^ Math.imul(row + 1, 0x85ebca77)) >>> 0);
}

/** Draw `i` of a node key: a uniform integer in [0, n), n ≤ 2^31 (multiply-shift; bias ≤ n / 2^32). */
export function drawBelow(key: number, i: number, n: number): number {
  const u = fmix32((key ^ Math.imul(i + 1, GOLDEN)) >>> 0);
  return Math.floor(u * 2.3283064365386963e-10 * n);
}

/** Draw `i` of a node key as a real number strictly inside (0, 1), for weighted choices. */
export function drawUnit(key: number, i: number): number {
  const u = fmix32((key ^ Math.imul(i + 1, 0x7feb352d)) >>> 0);
  return (u + 0.5) * 2.3283064365386963e-10;
}

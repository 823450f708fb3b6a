import type { IdMaps } from '../format/index.ts';

export interface Reshuffled extends IdMaps {
  /** Per partition, the [start, end) of the internal IDs it owns. */
  ranges: [number, number][];
}

/**
 * New internal IDs, as DGL reshuffles them: partition p owns a contiguous range, and inside it nodes go by descending
 * in-degree, ties by original ID, so the hot rows of every partition form a prefix (what a cache pins). Two stable
 * counting sorts (by degree, then by partition): O(n + max degree), no comparisons.
 */
export function reshuffle(partOf: Int32Array, numParts: number, inDegree: Int32Array): Reshuffled {
  const n = partOf.length;
  let maxDeg = 0;
  for (let v = 0; v < n; v++) if (inDegree[v] > maxDeg) maxDeg = inDegree[v];

  // Stable by descending degree: bucket starts laid out from the highest degree down.
  const degStart = new Int32Array(maxDeg + 2);
  for (let v = 0; v < n; v++) degStart[maxDeg - inDegree[v] + 1]++;
  for (let d = 0; d <= maxDeg; d++) degStart[d + 1] += degStart[d];
  const byDegree = new Int32Array(n);
  for (let v = 0; v < n; v++) byDegree[degStart[maxDeg - inDegree[v]]++] = v;

  const partStart = new Int32Array(numParts + 1);
  for (let v = 0; v < n; v++) partStart[partOf[v] + 1]++;
  for (let p = 0; p < numParts; p++) partStart[p + 1] += partStart[p];
  const ranges: [number, number][] = Array.from({ length: numParts }, (_, p) => [partStart[p], partStart[p + 1]]);
  const origOfInternal = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = byDegree[i];
    origOfInternal[partStart[partOf[v]]++] = v;
  }
  const internalOfOrig = new Int32Array(n);
  for (let i = 0; i < n; i++) internalOfOrig[origOfInternal[i]] = i;
  return { origOfInternal, internalOfOrig, ranges };
}

import { drawUnit } from './keyed-random.ts';

/** Scratch space of weighted choices, reused across calls. */
export class WeightedScratch {
  cumulative = new Float64Array(256);
  heapKeys = new Float64Array(64);
  heapPositions = new Int32Array(64);
}

/**
 * The row positions a node samples by the `weight` column, written to `picks` in ascending (canonical row) order;
 * returns how many. Weight 0 is never sampled.
 * - With replacement: k draws, each position with probability weight / total (a draw is a binary search of the
 *   row's running sums).
 * - Without replacement: successive sampling as DGL does it (each pick ∝ weight among the positions not yet
 *   picked), by its equivalent in one pass: every position gets an exponential clock Exp(1) / weight, and the k
 *   earliest are taken. When at most k positions have positive weight, all of them are.
 * - Fanout -1: every position of positive weight.
 * Draws come from the node's key, so the choice is the same in every partition and transport.
 */
export function chooseWeighted(
  key: number,
  weight: Float32Array,
  first: number,
  degree: number,
  k: number,
  replace: boolean,
  picks: Int32Array,
  scratch: WeightedScratch,
): number {
  if (replace && k >= 0) {
    if (scratch.cumulative.length < degree) scratch.cumulative = new Float64Array(degree);
    const cumulative = scratch.cumulative;
    let total = 0;
    for (let j = 0; j < degree; j++) {
      total += weight[first + j];
      cumulative[j] = total;
    }
    if (!(total > 0)) return 0;
    for (let q = 0; q < k; q++) {
      const t = drawUnit(key, q) * total;
      let lo = 0;
      let hi = degree - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] > t) hi = mid;
        else lo = mid + 1;
      }
      picks[q] = lo;
    }
    picks.subarray(0, k).sort();
    return k;
  }
  let positive = 0;
  for (let j = 0; j < degree; j++) if (weight[first + j] > 0) positive++;
  if (k < 0 || positive <= k) {
    let count = 0;
    for (let j = 0; j < degree; j++) if (weight[first + j] > 0) picks[count++] = j;
    return count;
  }
  // The k earliest clocks, kept in a max-heap on the clock (ties broken by position, so the choice is exact).
  if (scratch.heapKeys.length < k) {
    scratch.heapKeys = new Float64Array(k);
    scratch.heapPositions = new Int32Array(k);
  }
  const keys = scratch.heapKeys;
  const positions = scratch.heapPositions;
  let size = 0;
  for (let j = 0; j < degree; j++) {
    const w = weight[first + j];
    if (!(w > 0)) continue;
    const clock = -Math.log(drawUnit(key, j)) / w;
    if (size < k) {
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (keys[parent] >= clock) break;
        keys[c] = keys[parent];
        positions[c] = positions[parent];
        c = parent;
      }
      keys[c] = clock;
      positions[c] = j;
    } else if (clock < keys[0]) {
      let c = 0;
      for (;;) {
        const left = 2 * c + 1;
        if (left >= k) break;
        const child = left + 1 < k && keys[left + 1] > keys[left] ? left + 1 : left;
        if (keys[child] <= clock) break;
        keys[c] = keys[child];
        positions[c] = positions[child];
        c = child;
      }
      keys[c] = clock;
      positions[c] = j;
    }
  }
  for (let q = 0; q < k; q++) picks[q] = positions[q];
  picks.subarray(0, k).sort();
  return k;
}

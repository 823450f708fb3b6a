import type { Xoshiro128 } from '../../random/index.ts';
import { GainHeap } from './gain-heap.ts';
import type { WeightedGraph } from './weighted-graph.ts';

/** FM passes per bisection; later passes rarely find more than the first few. */
const FM_PASSES = 4;

/**
 * Splits a (small, coarsest-level) graph in two, side 0 taking `fraction` of every constraint's weight within
 * `imbalance`: greedy graph growing from a random seed (always adding the node that cuts least), then Fiduccia–
 * Mattheyses passes that move the best-gain node, lock it, and roll back to the best point seen. Best of `tries`.
 */
export function bisect(
  g: WeightedGraph,
  fraction: number,
  imbalance: number,
  rng: Xoshiro128,
  tries: number,
): Uint8Array {
  const c = g.constraints;
  const totals = new Float64Array(c);
  for (let v = 0; v < g.n; v++) for (let i = 0; i < c; i++) totals[i] += g.nodeWeight[v * c + i];
  // Side s may hold at most limit[s * c + i] of constraint i.
  const limit = new Float64Array(2 * c);
  for (let i = 0; i < c; i++) {
    let heaviest = 0;
    for (let v = 0; v < g.n; v++) heaviest = Math.max(heaviest, g.nodeWeight[v * c + i]);
    limit[i] = Math.max(totals[i] * fraction * imbalance, totals[i] * fraction + heaviest);
    limit[c + i] = Math.max(totals[i] * (1 - fraction) * imbalance, totals[i] * (1 - fraction) + heaviest);
  }
  const heap = new GainHeap();
  let best: Uint8Array | undefined;
  let bestCut = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < tries; attempt++) {
    const side = grow(g, totals, fraction, rng, heap);
    const cut = fm(g, side, limit, heap);
    if (cut < bestCut && fitsLimits(g, side, limit)) {
      bestCut = cut;
      best = side;
    }
  }
  return best ?? grow(g, totals, fraction, rng, heap);
}

/** Greedy graph growing: side 0 starts at a random node and absorbs the boundary node of highest gain until full. */
function grow(g: WeightedGraph, totals: Float64Array, fraction: number, rng: Xoshiro128, heap: GainHeap): Uint8Array {
  const { n, indptr, adj, adjWeight, nodeWeight, constraints: c } = g;
  const side = new Uint8Array(n).fill(1);
  const gain = new Int32Array(n); // for a side-1 node: weight to side 0 minus weight to side 1
  for (let v = 0; v < n; v++) for (let j = indptr[v]; j < indptr[v + 1]; j++) gain[v] -= adjWeight[j];
  const target = totals[0] * fraction;
  let weight = 0;
  heap.clear(n);
  while (weight < target) {
    let v: number;
    if (heap.size === 0) {
      v = rng.nextBelow(n);
      while (side[v] === 0) v = v + 1 === n ? 0 : v + 1;
    } else v = heap.pop();
    side[v] = 0;
    weight += nodeWeight[v * c];
    for (let j = indptr[v]; j < indptr[v + 1]; j++) {
      const u = adj[j];
      if (side[u] === 0) continue;
      gain[u] += 2 * adjWeight[j];
      heap.set(u, gain[u]);
    }
  }
  return side;
}

/**
 * FM passes on a bisection, side s holding at most limit[s · constraints + i] of constraint i; returns the final cut. A node's gain is 2·ext − deg (ext: its weight to the other side,
 * deg: its weighted degree); `ext` is updated as nodes move and roll back, so no pass recomputes gains. Every node
 * starts in the heap: seeding only boundary nodes was faster but cut more (interior moves let FM climb out of minima).
 */
export function fm(g: WeightedGraph, side: Uint8Array, limit: Float64Array, heap: GainHeap): number {
  const { n, indptr, adj, adjWeight, nodeWeight, constraints: c } = g;
  const ext = new Int32Array(n);
  const deg = new Int32Array(n);
  const locked = new Uint8Array(n);
  const moves = new Int32Array(n);
  const weight = new Float64Array(2 * c);
  let cut = 0;
  for (let v = 0; v < n; v++) {
    for (let i = 0; i < c; i++) weight[side[v] * c + i] += nodeWeight[v * c + i];
    for (let j = indptr[v]; j < indptr[v + 1]; j++) {
      deg[v] += adjWeight[j];
      if (side[adj[j]] !== side[v]) ext[v] += adjWeight[j];
    }
    cut += ext[v];
  }
  cut /= 2;
  /** Moves v to the other side, updating weights and neighbors' external weights. */
  const flip = (v: number) => {
    const from = side[v];
    const to = 1 - from;
    side[v] = to;
    for (let i = 0; i < c; i++) {
      weight[from * c + i] -= nodeWeight[v * c + i];
      weight[to * c + i] += nodeWeight[v * c + i];
    }
    ext[v] = deg[v] - ext[v];
    for (let j = indptr[v]; j < indptr[v + 1]; j++) {
      const u = adj[j];
      ext[u] += side[u] === to ? -adjWeight[j] : adjWeight[j];
    }
  };
  for (let pass = 0; pass < FM_PASSES; pass++) {
    locked.fill(0);
    heap.clear(n);
    for (let v = 0; v < n; v++) heap.set(v, 2 * ext[v] - deg[v]);
    let current = cut;
    let bestCut = cut;
    let bestPrefix = 0;
    let count = 0;
    let sinceBest = 0;
    while (heap.size > 0 && sinceBest < Math.max(50, n / 20)) {
      const gain = heap.topGain();
      const v = heap.pop();
      const to = 1 - side[v];
      let fits = true;
      for (let i = 0; i < c; i++) if (weight[to * c + i] + nodeWeight[v * c + i] > limit[to * c + i]) fits = false;
      if (!fits) continue;
      locked[v] = 1;
      flip(v);
      current -= gain;
      moves[count++] = v;
      for (let j = indptr[v]; j < indptr[v + 1]; j++) {
        const u = adj[j];
        if (!locked[u]) heap.set(u, 2 * ext[u] - deg[u]);
      }
      if (current < bestCut) {
        bestCut = current;
        bestPrefix = count;
        sinceBest = 0;
      } else sinceBest++;
    }
    for (let m = count - 1; m >= bestPrefix; m--) flip(moves[m]);
    if (bestCut >= cut) break;
    cut = bestCut;
  }
  return cut;
}

function fitsLimits(g: WeightedGraph, side: Uint8Array, limit: Float64Array): boolean {
  const c = g.constraints;
  const weight = new Float64Array(2 * c);
  for (let v = 0; v < g.n; v++) for (let i = 0; i < c; i++) weight[side[v] * c + i] += g.nodeWeight[v * c + i];
  for (let s = 0; s < 2; s++) for (let i = 0; i < c; i++) if (weight[s * c + i] > limit[s * c + i]) return false;
  return true;
}

import type { Xoshiro128 } from '../../random/index.ts';
import type { Balance } from './balance.ts';
import type { WeightedGraph } from './weighted-graph.ts';
import { Workspace } from './workspace.ts';

/**
 * Balanced label-propagation refinement (greedy k-way boundary refinement, as METIS and Mt-KaHyPar's LP refiner do
 * it): nodes, in a seeded random order, move to the adjacent part they are most connected to when that strictly
 * lowers the cut and the target part stays within its limit, or when the cut stays equal and the move eases the
 * heavier part. The first sweep visits the boundary nodes; each later sweep only the nodes next to a move, until a
 * sweep moves nothing.
 */
export function refine(
  g: WeightedGraph,
  part: Int32Array,
  balance: Balance,
  rng: Xoshiro128,
  ws = new Workspace(),
  maxSweeps = 8,
): void {
  const { n, indptr, adj, adjWeight } = g;
  const k = balance.k;
  const conn = new Int32Array(k);
  const touched = new Int32Array(k);
  // Neighbors' parts are read at random, once per arc and sweep: in bytes (up to 256 parts) they stay in the cache
  // where 32-bit ones would not (a 2M-node level: 2 MB against 8).
  const partOf = k <= 0x100 ? ws.copy(Uint8Array, part) : part;
  // Active nodes of the current sweep, and a mark so a node is queued once for the next.
  let active = ws.take(Int32Array, n);
  let next = ws.take(Int32Array, n);
  const queued = ws.take(Uint8Array, n);
  let count = 0;
  for (let v = 0; v < n; v++) {
    for (let j = indptr[v]; j < indptr[v + 1]; j++) {
      if (partOf[adj[j]] !== partOf[v]) {
        active[count++] = v;
        break;
      }
    }
  }
  for (let sweep = 0; sweep < maxSweeps && count > 0; sweep++) {
    const order = active.subarray(0, count);
    rng.shuffle(order);
    let nextCount = 0;
    let moved = 0;
    queued.fill(0);
    for (let i = 0; i < count; i++) {
      const v = order[i];
      const own = part[v];
      let t = 0;
      for (let j = indptr[v]; j < indptr[v + 1]; j++) {
        const q = partOf[adj[j]];
        if (conn[q] === 0) touched[t++] = q;
        conn[q] += adjWeight[j];
      }
      let best = own;
      let bestGain = 0;
      const ownConn = conn[own];
      for (let x = 0; x < t; x++) {
        const q = touched[x];
        if (q === own) continue;
        const gain = conn[q] - ownConn;
        if (gain < bestGain) continue;
        if (gain === bestGain) {
          // Ties keep the first candidate; a zero-gain move is taken only toward a lighter part.
          if (gain > 0 || best !== own) continue;
          if (balance.partWeights[q * g.constraints] >= balance.partWeights[own * g.constraints]) continue;
        }
        if (!balance.fits(v, q)) continue;
        best = q;
        bestGain = gain;
      }
      for (let x = 0; x < t; x++) conn[touched[x]] = 0;
      if (best !== own) {
        balance.move(v, own, best);
        part[v] = best;
        partOf[v] = best;
        moved++;
        for (let j = indptr[v]; j < indptr[v + 1]; j++) {
          const u = adj[j];
          if (!queued[u]) {
            queued[u] = 1;
            next[nextCount++] = u;
          }
        }
      }
    }
    if (moved === 0) break;
    [active, next] = [next, active];
    count = nextCount;
  }
  ws.give(active, next, queued);
  if (partOf !== part) ws.give(partOf);
}

/**
 * Restores balance: nodes leave each overloaded part for the part they cost least to join that has room. When no
 * part has room for a node (with several constraints every other part can be full on one of them), it is swapped
 * with a node of another part that weighs less where the first part is overloaded, if both parts then fit.
 */
export function rebalance(
  g: WeightedGraph,
  part: Int32Array,
  balance: Balance,
  rng: Xoshiro128,
  ws = new Workspace(),
): void {
  const { n, indptr, adj, adjWeight } = g;
  const k = balance.k;
  const conn = new Int32Array(k);
  const order = ws.take(Int32Array, n);
  for (let v = 0; v < n; v++) order[v] = v;
  for (let attempt = 0; attempt < 4 && balance.worstLoad() > 1; attempt++) {
    rng.shuffle(order);
    for (let i = 0; i < n; i++) {
      const v = order[i];
      const own = part[v];
      if (!balance.overloaded(own)) continue;
      conn.fill(0);
      for (let j = indptr[v]; j < indptr[v + 1]; j++) conn[part[adj[j]]] += adjWeight[j];
      let best = -1;
      for (let q = 0; q < k; q++) {
        if (q === own || !balance.fits(v, q)) continue;
        if (best < 0 || conn[q] > conn[best]) best = q;
      }
      if (best >= 0) {
        balance.move(v, own, best);
        part[v] = best;
      } else swap(g, part, balance, v, order);
    }
  }
  ws.give(order);
}

/** Swaps v with the first node u of another part for which the exchange leaves both parts within their limits. */
function swap(g: WeightedGraph, part: Int32Array, balance: Balance, v: number, candidates: Int32Array): void {
  const c = g.constraints;
  const own = part[v];
  const w = g.nodeWeight;
  const pw = balance.partWeights;
  for (let x = 0; x < candidates.length; x++) {
    const u = candidates[x];
    const q = part[u];
    if (q === own) continue;
    let fits = true;
    let eases = false;
    for (let i = 0; i < c && fits; i++) {
      const delta = w[u * c + i] - w[v * c + i];
      if (pw[own * c + i] + delta > balance.limits[i] && delta >= 0) fits = false;
      if (pw[q * c + i] - delta > balance.limits[i]) fits = false;
      if (pw[own * c + i] > balance.limits[i] && delta < 0) eases = true;
    }
    if (!fits || !eases) continue;
    balance.move(v, own, q);
    balance.move(u, q, own);
    part[v] = q;
    part[u] = own;
    return;
  }
}

/** The weight of edges whose ends lie in different parts. */
export function cutWeight(g: WeightedGraph, part: Int32Array): number {
  let cut = 0;
  for (let v = 0; v < g.n; v++)
    for (let j = g.indptr[v]; j < g.indptr[v + 1]; j++) if (part[g.adj[j]] !== part[v]) cut += g.adjWeight[j];
  return cut / 2;
}

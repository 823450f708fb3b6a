import type { Xoshiro128 } from '../../random/index.ts';
import { type Grouping, groupWeights } from './grouping.ts';
import {
  type EdgeWeights,
  edgeWeightArray,
  edgeWeightBytes,
  type NodeIds,
  nodeIdArray,
  nodeIdBytes,
  type WeightedGraph,
} from './weighted-graph.ts';
import { Workspace } from './workspace.ts';

/**
 * Clusters for one level of coarsening by size-constrained label propagation (a cluster label per node), for levels
 * where matching stalls: on graphs with little locality (random power-law graphs), pairing nodes halves them but
 * leaves nearly every edge, so each level keeps the whole adjacency. Here every node joins the neighboring cluster
 * it is most connected to, unless that cluster would outgrow `maxClusterWeight` (constraint 0), over a few sweeps in
 * a seeded random order (as KaHIP coarsens social graphs). Clusters of many nodes shrink a level by far more than
 * half.
 */
export function propagateLabels(
  g: WeightedGraph,
  maxClusterWeight: number,
  rng: Xoshiro128,
  ws = new Workspace(),
  sweeps = 3,
): Int32Array {
  const { n, indptr, adj, adjWeight, constraints, nodeWeight } = g;
  const cluster = ws.take(Int32Array, n);
  const clusterWeight = ws.take(Int32Array, n);
  for (let v = 0; v < n; v++) {
    cluster[v] = v;
    clusterWeight[v] = nodeWeight[v * constraints];
  }
  const order = ws.take(Int32Array, n);
  for (let v = 0; v < n; v++) order[v] = v;
  const rating = ws.take(Int32Array, n);
  let maxDegree = 0;
  for (let v = 0; v < n; v++) maxDegree = Math.max(maxDegree, indptr[v + 1] - indptr[v]);
  const touched = ws.take(Int32Array, maxDegree + 1);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    rng.shuffle(order);
    for (let i = 0; i < n; i++) {
      const v = order[i];
      const own = cluster[v];
      const w = nodeWeight[v * constraints];
      let t = 0;
      for (let j = indptr[v]; j < indptr[v + 1]; j++) {
        const c = cluster[adj[j]];
        if (rating[c] === 0) touched[t++] = c;
        rating[c] += adjWeight[j];
      }
      let best = own;
      let bestRating = rating[own];
      for (let q = 0; q < t; q++) {
        const c = touched[q];
        if (c !== own && rating[c] > bestRating && clusterWeight[c] + w <= maxClusterWeight) {
          best = c;
          bestRating = rating[c];
        }
        rating[c] = 0;
      }
      rating[own] = 0;
      if (best !== own) {
        clusterWeight[own] -= w;
        clusterWeight[best] += w;
        cluster[v] = best;
      }
    }
  }
  ws.give(clusterWeight, order, rating, touched);
  return cluster;
}

/**
 * A contraction sized before it is carried out, so that the caller can weigh what it will hold (`coarseBytes`, beside
 * the finer level) against building the coarse level another way. `contract` carries it out, `dropContraction` not.
 */
export interface Contraction extends Groups {
  /** Row ends of the coarse level: counted for clusters; for pairs, written by the merge. */
  cIndptr: Int32Array;
  /** Coarse arcs (for pairs, a bound: every fine arc kept) and the heaviest coarse edge (a bound for pairs too). */
  arcs: number;
  heaviest: number;
  /** Bytes the coarse level's adjacency and weights take while they are merged. */
  coarseBytes: number;
}

/** Sizes the contraction of a level's nodes by `grouping` (see `Grouping`). */
export function sizeContraction(g: WeightedGraph, grouping: Grouping, ws = new Workspace()): Contraction {
  const { count: nc, groupOf: coarseOf, order: members } = grouping;
  const memberStart = ws.take(Int32Array, nc + 1);
  for (let i = 0; i < members.length; i++) memberStart[coarseOf[members[i]] + 1]++;
  for (let c = 0; c < nc; c++) memberStart[c + 1] += memberStart[c];
  const groups: Groups = { nc, coarseOf, memberStart, members };
  const cIndptr = ws.take(Int32Array, nc + 1);
  let maxMembers = 0;
  for (let c = 0; c < nc; c++) maxMembers = Math.max(maxMembers, memberStart[c + 1] - memberStart[c]);
  let arcs: number;
  let heaviest: number;
  if (maxMembers <= 2) {
    // Pairs, from a matching: merged in one pass into arrays sized by bounds (every fine arc kept, a coarse edge
    // merging at most four fine ones), whose unused tails go back to the workspace.
    let heaviestFine = 0;
    for (let j = 0; j < g.adjWeight.length; j++) heaviestFine = Math.max(heaviestFine, g.adjWeight[j]);
    arcs = g.adj.length;
    heaviest = 4 * heaviestFine;
  } else {
    // Clusters: a counting pass first, since the bounds would be loose (a cluster of thousands of nodes) and a
    // level of 100M arcs too large to hold in bound-sized arrays beside its finer level.
    const merged = ws.take(Int32Array, nc);
    const touched = ws.take(Int32Array, nc);
    heaviest = countRows(g, groups, merged, touched, cIndptr);
    ws.give(merged, touched);
    arcs = cIndptr[nc];
  }
  const coarseBytes = arcs * (nodeIdBytes(nc) + edgeWeightBytes(heaviest));
  return { ...groups, cIndptr, arcs, heaviest, coarseBytes };
}

/** Carries out a contraction: the coarse level, its nodes' weights the sums of their members'. */
export function contract(g: WeightedGraph, contraction: Contraction, ws = new Workspace()): WeightedGraph {
  const { nc, coarseOf, cIndptr, arcs, heaviest } = contraction;
  const nodeWeight = groupWeights(g, coarseOf, nc, ws);
  // Position plus one of a coarse neighbor in the row being merged; a stale one, from an earlier row, is at most the
  // row's start.
  const slot = ws.take(Int32Array, nc);
  let cAdj = nodeIdArray(ws, nc, arcs);
  let cWeight = edgeWeightArray(ws, heaviest, arcs);
  const merged = mergeRows(g, contraction, slot, cIndptr, cAdj, cWeight);
  cAdj = ws.shrink(cAdj, merged);
  cWeight = ws.shrink(cWeight, merged);
  ws.give(contraction.memberStart, slot);
  return { n: nc, indptr: cIndptr, adj: cAdj, adjWeight: cWeight, constraints: g.constraints, nodeWeight };
}

/** Gives a contraction's arrays back without carrying it out. */
export function dropContraction(ws: Workspace, contraction: Contraction): void {
  ws.give(contraction.memberStart, contraction.cIndptr);
}

/** The fine nodes of each coarse node: members[memberStart[c], memberStart[c + 1]). */
interface Groups {
  nc: number;
  coarseOf: Int32Array;
  memberStart: Int32Array;
  members: Int32Array;
}

/**
 * Each coarse node's number of distinct coarse neighbors, into `cIndptr` (as row ends), and the heaviest merged
 * edge. `merged` and `touched` are scratch, one per coarse node; `merged` must be zero, and is left so.
 */
function countRows(
  g: WeightedGraph,
  groups: Groups,
  merged: Int32Array,
  touched: Int32Array,
  cIndptr: Int32Array,
): number {
  const { indptr, adj, adjWeight } = g;
  const { nc, coarseOf, memberStart, members } = groups;
  let heaviest = 0;
  for (let c = 0; c < nc; c++) {
    let t = 0;
    for (let m = memberStart[c]; m < memberStart[c + 1]; m++) {
      const v = members[m];
      for (let j = indptr[v]; j < indptr[v + 1]; j++) {
        const cu = coarseOf[adj[j]];
        if (cu === c) continue;
        if (merged[cu] === 0) touched[t++] = cu;
        merged[cu] += adjWeight[j];
      }
    }
    for (let q = 0; q < t; q++) {
      heaviest = Math.max(heaviest, merged[touched[q]]);
      merged[touched[q]] = 0;
    }
    cIndptr[c + 1] = cIndptr[c] + t;
  }
  return heaviest;
}

/**
 * Merges each coarse node's rows: each coarse neighbor once, at its first appearance, its edges' weights summed.
 * Writes row ends into `cIndptr` and returns the number of coarse arcs. `slot` (one per coarse node) must be zero.
 */
function mergeRows(
  g: WeightedGraph,
  groups: Groups,
  slot: Int32Array,
  cIndptr: Int32Array,
  cAdj: NodeIds,
  cWeight: EdgeWeights,
): number {
  const { indptr, adj, adjWeight } = g;
  const { nc, coarseOf, memberStart, members } = groups;
  let at = 0;
  for (let c = 0; c < nc; c++) {
    const rowStart = at;
    for (let m = memberStart[c]; m < memberStart[c + 1]; m++) {
      const v = members[m];
      for (let j = indptr[v]; j < indptr[v + 1]; j++) {
        const cu = coarseOf[adj[j]];
        if (cu === c) continue;
        if (slot[cu] > rowStart) cWeight[slot[cu] - 1] += adjWeight[j];
        else {
          slot[cu] = at + 1;
          cAdj[at] = cu;
          cWeight[at++] = adjWeight[j];
        }
      }
    }
    cIndptr[c + 1] = at;
  }
  return at;
}

/**
 * Pairs for one level of coarsening by heavy-edge matching (a cluster label per node: the pair's lower node), as
 * METIS does it: nodes in order of increasing degree (random among equals) match their unmatched neighbor of
 * heaviest connecting edge; nodes left unmatched then pair up with other leftovers that share their heaviest
 * neighbor (METIS's 2-hop matching, which keeps power-law graphs, where a hub's many leaves cannot all match the hub,
 * coarsening). On ego-Twitter this cuts 1.2× less than size-constrained label propagation clustering did in the same
 * pipeline.
 */
export function matchHeavyEdges(
  g: WeightedGraph,
  maxNodeWeight: number,
  rng: Xoshiro128,
  ws = new Workspace(),
): Int32Array {
  const { n, indptr, adj, adjWeight, constraints, nodeWeight } = g;
  // Order: by degree, ties in a random order.
  const shuffled = ws.take(Int32Array, n);
  for (let v = 0; v < n; v++) shuffled[v] = v;
  rng.shuffle(shuffled);
  let maxDegree = 0;
  for (let v = 0; v < n; v++) maxDegree = Math.max(maxDegree, indptr[v + 1] - indptr[v]);
  const start = ws.take(Int32Array, maxDegree + 2);
  for (let v = 0; v < n; v++) start[indptr[v + 1] - indptr[v] + 1]++;
  for (let d = 0; d <= maxDegree; d++) start[d + 1] += start[d];
  const order = ws.take(Int32Array, n);
  for (let i = 0; i < n; i++) {
    const v = shuffled[i];
    order[start[indptr[v + 1] - indptr[v]]++] = v;
  }
  ws.give(shuffled, start);

  const match = ws.take(Int32Array, n).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = order[i];
    if (match[v] >= 0) continue;
    const wv = nodeWeight[v * constraints];
    let best = -1;
    let bestWeight = 0;
    for (let j = indptr[v]; j < indptr[v + 1]; j++) {
      const u = adj[j];
      if (match[u] >= 0 || adjWeight[j] <= bestWeight || wv + nodeWeight[u * constraints] > maxNodeWeight) continue;
      best = u;
      bestWeight = adjWeight[j];
    }
    if (best >= 0) {
      match[v] = best;
      match[best] = v;
    }
  }
  // 2-hop: leftovers keyed by their heaviest neighbor pair up with the previous leftover of the same key; nodes
  // without neighbors share one key, so they pair among themselves.
  const waiting = ws.take(Int32Array, n + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = order[i];
    if (match[v] >= 0) continue;
    let hub = n;
    let hubWeight = 0;
    for (let j = indptr[v]; j < indptr[v + 1]; j++) {
      if (adjWeight[j] > hubWeight) {
        hub = adj[j];
        hubWeight = adjWeight[j];
      }
    }
    const other = waiting[hub];
    if (other >= 0 && nodeWeight[v * constraints] + nodeWeight[other * constraints] <= maxNodeWeight) {
      match[v] = other;
      match[other] = v;
      waiting[hub] = -1;
    } else waiting[hub] = v;
  }
  ws.give(order, waiting);
  const cluster = ws.take(Int32Array, n);
  for (let v = 0; v < n; v++) cluster[v] = match[v] >= 0 ? Math.min(v, match[v]) : v;
  ws.give(match);
  return cluster;
}

import type { GraphData } from '../../graph/index.ts';

/**
 * An undirected graph with integer edge and node weights in CSR form: the structure the multilevel partitioner
 * coarsens, partitions and refines. Node weights have `constraints` components per node (node count, stored arcs,
 * training nodes …), all of which the partition must balance.
 */
export interface WeightedGraph {
  n: number;
  /** Neighbors of v are adj[indptr[v], indptr[v + 1]), each with weight adjWeight[·]. No self-loops, no repeats. */
  indptr: Int32Array;
  adj: Int32Array;
  adjWeight: EdgeWeights;
  constraints: number;
  /** Weight of node v for constraint c at v * constraints + c. */
  nodeWeight: Int32Array;
}

/**
 * Edge weights in the narrowest array that holds a level's heaviest edge: the finest levels of most graphs need one
 * byte per edge (ego-Twitter's four finest levels do), a quarter of what 32-bit weights take.
 */
export type EdgeWeights = Uint8Array | Uint16Array | Int32Array;

/** The first `length` weights of `weights`, copied into the narrowest array that holds them. */
export function narrowWeights(weights: Int32Array, length: number): EdgeWeights {
  let heaviest = 0;
  for (let j = 0; j < length; j++) heaviest = Math.max(heaviest, weights[j]);
  const narrow =
    heaviest <= 0xff ? new Uint8Array(length) : heaviest <= 0xffff ? new Uint16Array(length) : new Int32Array(length);
  narrow.set(weights.subarray(0, length));
  return narrow;
}

export function totalWeights(g: WeightedGraph): number[] {
  const totals = new Array<number>(g.constraints).fill(0);
  for (let v = 0; v < g.n; v++)
    for (let c = 0; c < g.constraints; c++) totals[c] += g.nodeWeight[v * g.constraints + c];
  return totals;
}

/** Node v of type t has global ID offsets[t] + v. */
export function typeOffsets(graph: GraphData): Map<string, number> {
  const offsets = new Map<string, number>();
  let at = 0;
  for (const t of graph.ntypes) {
    offsets.set(t.name, at);
    at += t.numNodes;
  }
  return offsets;
}

/**
 * The symmetrized structure of every edge type of `graph` over global node IDs: u–v weighs the number of arcs
 * between u and v in either direction (the arcs a cut would sever); self-loops are dropped. Built with two counting
 * passes and a stamp array, no sorting and no per-edge objects.
 */
export function undirectedStructure(graph: GraphData, nodeWeight: Int32Array, constraints: number): WeightedGraph {
  const offsets = typeOffsets(graph);
  const n = graph.ntypes.reduce((s, t) => s + t.numNodes, 0);
  // Pass 1: both endpoints' degrees; then both directions of every arc into a CSR with repeats.
  const degree = new Int32Array(n + 1);
  for (const e of graph.etypes) {
    const so = offsets.get(e.srcType)!;
    const dO = offsets.get(e.dstType)!;
    const { src, dst } = e.edges;
    for (let i = 0; i < src.length; i++) {
      const u = so + src[i];
      const v = dO + dst[i];
      if (u === v) continue;
      degree[u + 1]++;
      degree[v + 1]++;
    }
  }
  for (let v = 0; v < n; v++) degree[v + 1] += degree[v];
  const raw = new Int32Array(degree[n]);
  const fill = degree.slice(0, n);
  for (const e of graph.etypes) {
    const so = offsets.get(e.srcType)!;
    const dO = offsets.get(e.dstType)!;
    const { src, dst } = e.edges;
    for (let i = 0; i < src.length; i++) {
      const u = so + src[i];
      const v = dO + dst[i];
      if (u === v) continue;
      raw[fill[u]++] = v;
      raw[fill[v]++] = u;
    }
  }
  // Pass 2: merge repeats in place (the write position never passes the read position), counting them as weight.
  const indptr = new Int32Array(n + 1);
  const adjWeight = new Int32Array(raw.length);
  const slot = new Int32Array(n).fill(-1);
  let at = 0;
  for (let v = 0; v < n; v++) {
    const rowStart = at;
    for (let j = degree[v]; j < degree[v + 1]; j++) {
      const u = raw[j];
      if (slot[u] >= rowStart) adjWeight[slot[u]]++;
      else {
        slot[u] = at;
        raw[at] = u;
        adjWeight[at++] = 1;
      }
    }
    indptr[v + 1] = at;
  }
  // Exact-size copies: the doubled buffers would otherwise stay alive as long as this level does.
  return { n, indptr, adj: raw.slice(0, at), adjWeight: narrowWeights(adjWeight, at), constraints, nodeWeight };
}

/** The subgraph on `nodes` (local IDs in the given order), keeping edges with both ends inside. */
export function induced(g: WeightedGraph, nodes: Int32Array): WeightedGraph {
  const c = g.constraints;
  const local = new Int32Array(g.n).fill(-1);
  nodes.forEach((v, i) => {
    local[v] = i;
  });
  const indptr = new Int32Array(nodes.length + 1);
  let edges = 0;
  for (const v of nodes) for (let j = g.indptr[v]; j < g.indptr[v + 1]; j++) if (local[g.adj[j]] >= 0) edges++;
  const adj = new Int32Array(edges);
  const adjWeight = new (g.adjWeight.constructor as new (length: number) => EdgeWeights)(edges);
  const nodeWeight = new Int32Array(nodes.length * c);
  let at = 0;
  nodes.forEach((v, i) => {
    for (let j = g.indptr[v]; j < g.indptr[v + 1]; j++) {
      const u = local[g.adj[j]];
      if (u < 0) continue;
      adj[at] = u;
      adjWeight[at++] = g.adjWeight[j];
    }
    indptr[i + 1] = at;
    for (let x = 0; x < c; x++) nodeWeight[i * c + x] = g.nodeWeight[v * c + x];
  });
  return { n: nodes.length, indptr, adj, adjWeight, constraints: c, nodeWeight };
}

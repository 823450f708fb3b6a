import type { GraphData } from '../../graph/index.ts';
import type { Grouping } from './grouping.ts';
import { type WorkArray, type WorkArrayType, Workspace } from './workspace.ts';

/**
 * An undirected graph with integer edge and node weights in CSR form: the structure the multilevel partitioner
 * coarsens, partitions and refines. Node weights have `constraints` components per node (node count, stored arcs,
 * training nodes …), all of which the partition must balance.
 */
export interface WeightedGraph {
  n: number;
  /** Neighbors of v are adj[indptr[v], indptr[v + 1]), each with weight adjWeight[·]. No self-loops, no repeats. */
  indptr: Int32Array;
  adj: NodeIds;
  adjWeight: EdgeWeights;
  constraints: number;
  /** Weight of node v for constraint c at v * constraints + c. */
  nodeWeight: Int32Array;
}

/**
 * Neighbor IDs in two bytes each while a level has at most 65,536 nodes: every coarse level of ego-Twitter does, and
 * the levels together outweigh the finest one, so this halves most of the hierarchy's memory.
 */
export type NodeIds = Uint16Array | Int32Array;

/**
 * Edge weights in the narrowest array that holds a level's heaviest edge: the finest levels of most graphs need one
 * byte per edge (ego-Twitter's four finest levels do), a quarter of what 32-bit weights take.
 */
export type EdgeWeights = Uint8Array | Uint16Array | Int32Array;

/** Bytes per ID of nodes below `n`, in the narrowest type that holds them. */
export function nodeIdBytes(n: number): 2 | 4 {
  return n <= 0x10000 ? 2 : 4;
}

/** Bytes per edge weight up to `heaviest`, in the narrowest type that holds it. */
export function edgeWeightBytes(heaviest: number): 1 | 2 | 4 {
  return heaviest <= 0xff ? 1 : heaviest <= 0xffff ? 2 : 4;
}

/** An array for `length` IDs of nodes below `n`, in the narrowest type that holds them. */
export function nodeIdArray(ws: Workspace, n: number, length: number): NodeIds {
  return nodeIdBytes(n) === 2 ? ws.take(Uint16Array, length) : ws.take(Int32Array, length);
}

/** An array for `length` edge weights up to `heaviest`, in the narrowest type that holds them. */
export function edgeWeightArray(ws: Workspace, heaviest: number, length: number): EdgeWeights {
  const bytes = edgeWeightBytes(heaviest);
  return bytes === 1
    ? ws.take(Uint8Array, length)
    : bytes === 2
      ? ws.take(Uint16Array, length)
      : ws.take(Int32Array, length);
}

/** Bytes of a graph's structure (the arrays `release` gives back). */
export function structureBytes(g: WeightedGraph): number {
  return g.indptr.byteLength + g.adj.byteLength + g.adjWeight.byteLength;
}

/** Gives a graph's structure back to the workspace it was taken from (its node weights belong to the caller). */
export function release(ws: Workspace, g: WeightedGraph): void {
  ws.give(g.indptr, g.adj, g.adjWeight);
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
 * between u and v in either direction (the arcs a cut would sever); self-loops are dropped. No sorting and no
 * per-edge objects: arcs go into rows by a counting pass, then repeats merge by a stamp array, in place, so the rows
 * with repeats are the only full-size buffer besides the weights.
 *
 * Given a grouping, the nodes of each group merge into one: the structure is then that of a coarse level, exactly as
 * contracting the levels in between would give it (rows in the same order, the same weights), built from the graph
 * alone. A level built so never needs its finer level beside it: that is how the large levels of a graph where
 * coarsening stalls are built (see multilevel.ts).
 *
 * A graph ingested with `--undirected` already stores every arc both ways, so each arc goes into one row only, its
 * destination's: that halves the rows with repeats, and halves every weight alike, which changes no decision of the
 * partitioner (gains are compared, never weighed against anything else). Row order does matter, since heavy-edge
 * matching breaks ties by it: the destination side gives exactly the rows both ways gave on ego-Twitter and Cora
 * (so the same partitions), where the source side cut 8.0 % against 7.0 % at 4 parts (medians of 5 seeds).
 */
export function undirectedStructure(
  graph: GraphData,
  nodeWeight: Int32Array,
  constraints: number,
  ws = new Workspace(),
  grouping?: Grouping,
): WeightedGraph {
  const offsets = typeOffsets(graph);
  const n = graph.ntypes.reduce((s, t) => s + t.numNodes, 0);
  const nc = grouping?.count ?? n;
  const bothWays = !graph.undirected;
  // Rows with repeats: u's group in v's row for every arc u → v, and v's in u's too unless the arcs are stored both
  // ways. Each node's arcs are counted, then given their place: the rows of a group's members follow each other, in
  // the grouping's order, and together are the group's row.
  const next = ws.take(Int32Array, n);
  placeArcs(graph, offsets, bothWays, next, grouping?.groupOf);
  const start = ws.take(Int32Array, nc + 1);
  let placed = 0;
  for (let i = 0; i < n; i++) {
    const v = grouping ? grouping.order[i] : i;
    const arcs = next[v];
    next[v] = placed;
    placed += arcs;
    start[(grouping ? grouping.groupOf[v] : v) + 1] = placed;
  }
  const rows = nodeIdArray(ws, nc, placed);
  placeArcs(graph, offsets, bothWays, next, grouping?.groupOf, rows);
  ws.give(next);
  const weight = ws.take(Int32Array, nc);
  // Pass 1: distinct neighbors per row and the heaviest merged edge, to size the arrays.
  const indptr = ws.take(Int32Array, nc + 1);
  let heaviest = 0;
  for (let v = 0; v < nc; v++) {
    let distinct = 0;
    for (let j = start[v]; j < start[v + 1]; j++) if (weight[rows[j]]++ === 0) distinct++;
    for (let j = start[v]; j < start[v + 1]; j++) {
      heaviest = Math.max(heaviest, weight[rows[j]]);
      weight[rows[j]] = 0;
    }
    indptr[v + 1] = indptr[v] + distinct;
  }
  // Pass 2: each neighbor once, at its first appearance, with its repeats as weight, written over the rows in place
  // (a row's output starts no later than its input, and never passes the position being read), then shrunk to fit.
  // Without repeats (a clean undirected graph) the rows are the adjacency already.
  const adjWeight = edgeWeightArray(ws, heaviest, indptr[nc]);
  adjWeight.fill(1);
  // u's position in the output plus one; positions only grow row after row, so a stale one is below the row's start.
  const slot = weight;
  const hasRepeats = indptr[nc] < start[nc];
  for (let v = 0; v < nc && hasRepeats; v++) {
    let at = indptr[v];
    for (let j = start[v]; j < start[v + 1]; j++) {
      const u = rows[j];
      if (slot[u] > indptr[v]) adjWeight[slot[u] - 1]++;
      else {
        slot[u] = at + 1;
        rows[at++] = u;
      }
    }
  }
  const adj = ws.shrink(rows, indptr[nc]);
  ws.give(start, slot);
  return { n: nc, indptr, adj, adjWeight, constraints, nodeWeight };
}

/**
 * Counts each node's arcs into `at[v]` or, given `rows`, writes each arc's other end (its group, given groups) into
 * the node's row at `at[v]++`; arcs within a node or a group are skipped. One loop for both passes, rather than a
 * callback per arc that V8 would not inline.
 */
function placeArcs(
  graph: GraphData,
  offsets: Map<string, number>,
  bothWays: boolean,
  at: Int32Array,
  groupOf?: Int32Array,
  rows?: NodeIds,
): void {
  for (const e of graph.etypes) {
    const so = offsets.get(e.srcType)!;
    const dO = offsets.get(e.dstType)!;
    const { src, dst } = e.edges;
    for (let i = 0; i < src.length; i++) {
      const u = so + src[i];
      const v = dO + dst[i];
      const gu = groupOf === undefined ? u : groupOf[u];
      const gv = groupOf === undefined ? v : groupOf[v];
      if (gu === gv) continue;
      if (rows === undefined) {
        at[v]++;
        if (bothWays) at[u]++;
      } else {
        rows[at[v]++] = gu;
        if (bothWays) rows[at[u]++] = gv;
      }
    }
  }
}

/**
 * Subgraphs induced by node sets, built in buffers reused from one to the next. Recursive bisection and pairwise FM
 * take one subgraph after another, each done with before the next; built anew each time, they were most of the
 * refinement's memory at 16 and 64 parts (pairwise FM builds up to 2k of them per level, together four times the
 * level's size). `release` gives the buffers back to the workspace.
 */
export class Subgraphs {
  /** Local ID of each node of the current set, -1 elsewhere. */
  private local: Int32Array;
  private indptr: Int32Array;
  /** In the narrowest types the subgraph allows, as a level's arrays are: half to a quarter of 32-bit ones. */
  private adj: NodeIds;
  private adjWeight: EdgeWeights;
  private nodeWeight: Int32Array;

  constructor(private readonly ws = new Workspace()) {
    this.local = this.indptr = this.adj = this.adjWeight = this.nodeWeight = ws.take(Int32Array, 0);
  }

  /** The subgraph on `nodes` (local IDs in the given order), keeping edges with both ends inside: valid until the next call. */
  of(g: WeightedGraph, nodes: Int32Array): WeightedGraph {
    const c = g.constraints;
    const m = nodes.length;
    // Every node in its own order (the first split of recursive bisection, pairwise FM at k = 2): the graph itself.
    if (m === g.n && nodes.every((v, i) => v === i)) return g;
    if (this.local.length < g.n) {
      this.local = this.fit(this.local, Int32Array, g.n);
      this.local.fill(-1);
    }
    const local = this.local;
    // Sized by the nodes' degrees, a bound that costs no pass over their arcs (a counting pass was a third of pairwise
    // FM's time on ego-Twitter); the buffers are reused, so the slack is not taken again for the next subgraph.
    let bound = 0;
    for (let i = 0; i < m; i++) {
      local[nodes[i]] = i;
      bound += g.indptr[nodes[i] + 1] - g.indptr[nodes[i]];
    }
    this.indptr = this.fit(this.indptr, Int32Array, m + 1);
    this.adj = nodeIdBytes(m) === 2 ? this.fit(this.adj, Uint16Array, bound) : this.fit(this.adj, Int32Array, bound);
    // A subgraph's edges weigh what they weigh in the graph, so the graph's weight type holds them.
    this.adjWeight = this.fit(this.adjWeight, g.adjWeight.constructor as WorkArrayType<EdgeWeights>, bound);
    this.nodeWeight = this.fit(this.nodeWeight, Int32Array, m * c);
    const indptr = this.indptr.subarray(0, m + 1);
    const adj = this.adj;
    const adjWeight = this.adjWeight;
    const nodeWeight = this.nodeWeight.subarray(0, m * c);
    indptr[0] = 0;
    let at = 0;
    for (let i = 0; i < m; i++) {
      const v = nodes[i];
      for (let j = g.indptr[v]; j < g.indptr[v + 1]; j++) {
        const u = local[g.adj[j]];
        if (u < 0) continue;
        adj[at] = u;
        adjWeight[at++] = g.adjWeight[j];
      }
      indptr[i + 1] = at;
      for (let x = 0; x < c; x++) nodeWeight[i * c + x] = g.nodeWeight[v * c + x];
    }
    for (let i = 0; i < m; i++) local[nodes[i]] = -1;
    return { n: m, indptr, adj: adj.subarray(0, at), adjWeight: adjWeight.subarray(0, at), constraints: c, nodeWeight };
  }

  release(): void {
    this.ws.give(this.local, this.indptr, this.adj, this.adjWeight, this.nodeWeight);
    this.local = this.indptr = this.adj = this.adjWeight = this.nodeWeight = this.ws.take(Int32Array, 0);
  }

  /**
   * `buffer` if it is of `type` and holds `length` values, else a new one (larger by half again when it only grows,
   * so growing is rare).
   */
  private fit<T extends WorkArray>(buffer: WorkArray, type: WorkArrayType<T>, length: number): T {
    const sameType = buffer instanceof type;
    if (sameType && buffer.length >= length) return buffer;
    this.ws.give(buffer);
    return this.ws.take(type, sameType ? Math.max(length, Math.ceil(buffer.length * 1.5)) : length);
  }
}

import { FanoutError } from '../errors/index.ts';
import { KernelHeap } from './kernel/kernel-heap.ts';
import { KernelScratch } from './kernel/kernel-scratch.ts';
import { sampleRowsInKernel } from './kernel/sample-rows.ts';
import { drawBelow, nodeKey, requestKey } from './keyed-random.ts';
import { chooseWeighted, WeightedScratch } from './weighted.ts';

/**
 * One hop for the frontier nodes one partition owns: the unit of work a hop function does. PyG semantics:
 * without replacement, min(k, degree) distinct neighbors (Floyd's algorithm); with replacement, k draws whatever the
 * degree (none when the degree is 0); fanout -1, every neighbor. Picks are positions in the row's canonical order and
 * are returned sorted, so the output order is canonical too.
 */

/** The in-edges of the rows one partition owns, for one edge type, ready to sample. */
export interface HopPartition {
  part: number;
  /** Internal IDs [start, end) of the destination type that this partition owns; row r is node start + r. */
  start: number;
  end: number;
  indptr: Int32Array;
  /**
   * The in-edges row by row, two words each: the neighbor's internal ID, then the original edge ID's low 32 bits.
   * Side by side because a pick reads both: one cache line where two arrays cost two, in the same 8 bytes per edge
   * (the hop kernel 1.045× faster on ego-Twitter's requests, A/B in one process).
   */
  arcs: Int32Array;
  /**
   * The original edge IDs' high 32 bits, only when some ID is ≥ 2^31. Apart, so that the arcs stay 8 bytes: on
   * ego-Twitter 8-byte arcs (21 MB) stay in this machine's 32 MB L3 where 12-byte ones (32 MB) do not.
   */
  eidHi?: Int32Array;
  /** Original node ID of each owned row: the key of its random draws. */
  origIds: Int32Array;
  /** Each in-edge's weight, when the graph has the `weight` column. */
  weight?: Float32Array;
  /**
   * Each in-edge's time as Int32 halves (low, high), when the graph has times: the edge's `time`, else its neighbor's
   * `nbr_time`. Rows are sorted by it, so the edges eligible for a cutoff are a prefix of the row.
   */
  timeHalves?: Int32Array;
  /** Which column `timeHalves` holds. */
  timeColumn?: 'time' | 'nbr_time';
  /**
   * The neighbors' node times as Int32 halves, only when the edge type has edge times too (rows are then sorted by
   * edge time, so node-time eligibility is a filter, not a prefix): for sampling by node time (`time_attr`).
   */
  nodeTimeHalves?: Int32Array;
  /**
   * Present when `indptr`, `arcs`, `eidHi` and `origIds` are blocks of this thread's KernelHeap, so the
   * WebAssembly kernels can sample the partition; `maxDegree` sizes their Floyd marks.
   */
  kernel?: { maxDegree: number };
}

export interface HopRequest {
  /** Manifest URI of the graph: what a remote function opens. */
  graph: string;
  part: number;
  etype: string;
  /** The edge type's index in the manifest, part of the random key. */
  etypeIndex: number;
  hop: number;
  /** Neighbors per node; -1 = all. */
  fanout: number;
  replace: boolean;
  seed: number;
  batchKey: number;
  /** Internal IDs of frontier nodes this partition owns. */
  nodes: Int32Array;
  /** Batch row of each node in disjoint mode. */
  rows?: Int32Array;
  /** Whether to return edge IDs (pyg-lib's return_edge_id); skipping them saves a memory access per pick. */
  edgeIds: boolean;
  /** Sample by the `weight` column (PyG's weight_attr) instead of uniformly. */
  weighted?: boolean;
  /** Temporal sampling: each node's cutoff (its seed's time); only in-edges with time ≤ cutoff are eligible. */
  cutoff?: BigInt64Array;
  /** With `cutoff`: take the most recent eligible edges (PyG's temporal_strategy 'last') instead of uniform ones. */
  latest?: boolean;
  /**
   * With `cutoff`: compare the neighbors' node times (`nbr_time`) rather than the edge times, on an edge type that
   * has both (PyG's time_attr naming a node attribute).
   */
  byNodeTime?: boolean;
  /**
   * In-neighbors each node must not sample (link prediction's seed edges: no label leakage), as CSR over the
   * request's nodes: node i skips neighbors[offsets[i] .. offsets[i + 1]).
   */
  exclude?: { offsets: Int32Array; neighbors: Int32Array };
}

export interface HopResponse {
  /** Neighbors chosen per request node, in request order. */
  counts: Int32Array;
  /** Internal IDs of the chosen neighbors, node by node, each node's in canonical row order. */
  nbr: Int32Array;
  /** Their original edge IDs' low 32 bits; empty when edge IDs were not asked. */
  eidLo: Int32Array;
  /**
   * The high 32 bits, only when the partition has IDs ≥ 2^31 (as HopPartition keeps them): most graphs' responses
   * carry 8 bytes per edge, not 12.
   */
  eidHi?: Int32Array;
  /**
   * Gives the memory behind the arrays back to the transport that lent it (a worker thread's shared heap), once
   * the caller has read them; absent where the arrays are the caller's own. Calling it again does nothing.
   */
  release?: () => void;
  /**
   * Set on a hop function's answer sampled with `inHeap`: the offset of the kernel-heap block its arrays view,
   * which its owner frees (KernelHeap.free) once they have been read.
   */
  heapBlock?: number;
}

/** Scratch space of distinct draws, reused across calls: generation-stamped markers per row position, and picks. */
export class HopScratch {
  marks: Int32Array = new Int32Array(256);
  picks: Int32Array = new Int32Array(64);
  stamp = 0;
  weighted = new WeightedScratch();
  /** Rows with excluded neighbors: the positions left, and their weights. */
  candidates: Int32Array = new Int32Array(64);
  candidateWeights: Float32Array = new Float32Array(64);
  /** The kernels' picks, marks and staging areas, where this thread has a kernel heap. */
  readonly kernel = kernelScratch();
}

function kernelScratch(): KernelScratch | undefined {
  const heap = KernelHeap.get();
  return heap && new KernelScratch(heap);
}

const defaultScratch = new HopScratch();

/** Above this many output slots, size the output exactly with a first pass instead of by nodes × fanout. */
const UPPER_BOUND_SLOTS = 1 << 22;

/** Whether a node of this degree takes every neighbor, in row order, with no draws. */
export function takesAll(degree: number, k: number, replace: boolean): boolean {
  return k < 0 || (!replace && degree <= k);
}

/**
 * The `k` row positions a node samples, written to `scratch.picks` in ascending (canonical row) order, for a node
 * that does not take all (k > 0, degree > 0): distinct positions by Floyd's algorithm, or k draws with replacement.
 * Shared by the hop function and the coordinator's in-process path, so both draw exactly the same sample.
 */
export function choosePositions(
  key: number,
  degree: number,
  k: number,
  replace: boolean,
  scratch: HopScratch,
): Int32Array {
  if (scratch.picks.length < k) scratch.picks = new Int32Array(k);
  const picks = scratch.picks;
  if (replace) {
    for (let q = 0; q < k; q++) picks[q] = drawBelow(key, q, degree);
    sortPicks(picks, k);
  } else if (degree <= 64) {
    // Floyd's algorithm over a 64-bit set held in two words; reading the set bits low to high yields the picks
    // already in row order, with no comparison sort (the sort was the costliest step of a hop).
    let lo = 0;
    let hi = 0;
    let q = 0;
    for (let j = degree - k; j < degree; j++) {
      let t = drawBelow(key, q++, j + 1);
      if ((t < 32 ? lo >>> t : hi >>> (t - 32)) & 1) t = j;
      if (t < 32) lo |= 1 << t;
      else hi |= 1 << (t - 32);
    }
    q = 0;
    while (lo !== 0) {
      const bit = lo & -lo;
      picks[q++] = 31 - Math.clz32(bit);
      lo ^= bit;
    }
    while (hi !== 0) {
      const bit = hi & -hi;
      picks[q++] = 63 - Math.clz32(bit);
      hi ^= bit;
    }
  } else {
    if (scratch.marks.length < degree) scratch.marks = new Int32Array(degree);
    const marks = scratch.marks;
    if (++scratch.stamp === 0x7fffffff) {
      marks.fill(0);
      scratch.stamp = 1;
    }
    const stamp = scratch.stamp;
    // Floyd's algorithm: for j = d-k .. d-1 draw t in [0, j]; take t unless taken already, else take j.
    let q = 0;
    for (let j = degree - k; j < degree; j++) {
      const t = drawBelow(key, q, j + 1);
      const pick = marks[t] === stamp ? j : t;
      marks[pick] = stamp;
      picks[q++] = pick;
    }
    sortPicks(picks, k);
  }
  return picks;
}

/** `pickRow`'s answer for a node that takes every neighbor, in row order. */
export const ALL_NEIGHBORS = -1;

/** What every node of one hop samples alike: fanout, replacement, weighting, temporal strategy, the request key. */
export interface RowChoice {
  k: number;
  replace: boolean;
  weighted: boolean;
  /** 0: not temporal; TEMPORAL_UNIFORM or TEMPORAL_LAST. */
  temporal: number;
  /** Temporal by the neighbors' node times where rows are ordered by edge time (see HopRequest.byNodeTime). */
  byNodeTime: boolean;
  base: number;
}

export const TEMPORAL_UNIFORM = 1;
export const TEMPORAL_LAST = 2;

/** The choice a request asks for. */
export function rowChoice(request: HopRequest): RowChoice {
  return {
    k: request.fanout,
    replace: request.replace,
    weighted: request.weighted === true,
    temporal: request.cutoff ? (request.latest ? TEMPORAL_LAST : TEMPORAL_UNIFORM) : 0,
    byNodeTime: request.cutoff !== undefined && request.byNodeTime === true,
    base: requestKey(request.seed, request.batchKey, request.hop, request.etypeIndex),
  };
}

/**
 * What row `r` of a partition samples: ALL_NEIGHBORS, or a count of row positions left ascending in `scratch.picks`.
 * The one decision both the hop function and the coordinator's in-thread path make, so they draw the same sample.
 * `row` is the batch row in disjoint mode, -1 otherwise; `cutHi`/`cutLo` the halves of a temporal cutoff.
 */
export function pickRow(
  p: HopPartition,
  r: number,
  c: RowChoice,
  row: number,
  cutHi: number,
  cutLo: number,
  scratch: HopScratch,
  excluded?: Int32Array,
): number {
  if ((excluded && excluded.length > 0) || (c.temporal !== 0 && c.byNodeTime && p.nodeTimeHalves)) {
    return pickRowFiltered(p, r, c, row, cutHi, cutLo, scratch, excluded);
  }
  const first = p.indptr[r];
  const degree = p.indptr[r + 1] - first;
  const { k, replace } = c;
  if (c.temporal !== 0) {
    // Rows are sorted by time, so the eligible edges are the row's first ones: choose among them.
    return chooseAmong(p, r, c, row, eligible(p.timeHalves!, first, degree, cutHi, cutLo >>> 0), scratch);
  }
  if (!c.weighted) {
    if (takesAll(degree, k, replace)) return ALL_NEIGHBORS;
    if (degree === 0) return 0;
    choosePositions(nodeKey(c.base, p.origIds[r], row), degree, k, replace, scratch);
    return k;
  }
  if (degree === 0) return 0;
  if (scratch.picks.length < Math.max(k, degree)) scratch.picks = new Int32Array(Math.max(k, degree));
  const key = nodeKey(c.base, p.origIds[r], row);
  return chooseWeighted(key, p.weight!, first, degree, k, replace, scratch.picks, scratch.weighted);
}

/**
 * `pickRow` over a filtered row: positions left after exclusions and, when sampling by node time on rows ordered by
 * edge time, those whose neighbor's time is not after the cutoff (eligible ones are the prefix otherwise). The same
 * choice is made over the candidates and mapped back to row positions, so the picks stay ascending and
 * deterministic.
 */
function pickRowFiltered(
  p: HopPartition,
  r: number,
  c: RowChoice,
  row: number,
  cutHi: number,
  cutLo: number,
  scratch: HopScratch,
  excluded: Int32Array | undefined,
): number {
  const first = p.indptr[r];
  const degree = p.indptr[r + 1] - first;
  const nodeTimes = c.temporal !== 0 && c.byNodeTime ? p.nodeTimeHalves : undefined;
  const limit = c.temporal !== 0 && !nodeTimes ? eligible(p.timeHalves!, first, degree, cutHi, cutLo >>> 0) : degree;
  if (scratch.candidates.length < limit) scratch.candidates = new Int32Array(limit);
  const positions = scratch.candidates;
  let m = 0;
  for (let j = 0; j < limit; j++) {
    if (excluded?.includes(p.arcs[2 * (first + j)])) continue;
    if (nodeTimes && !notAfter(nodeTimes, first + j, cutHi, cutLo >>> 0)) continue;
    positions[m++] = j;
  }
  const { k, replace } = c;
  if (scratch.picks.length < Math.max(m, k)) scratch.picks = new Int32Array(Math.max(m, k));
  let count: number;
  if (c.weighted && c.temporal === 0) {
    if (scratch.candidateWeights.length < m) scratch.candidateWeights = new Float32Array(m);
    const weights = scratch.candidateWeights;
    for (let q = 0; q < m; q++) weights[q] = p.weight![first + positions[q]];
    const key = nodeKey(c.base, p.origIds[r], row);
    count = m === 0 ? 0 : chooseWeighted(key, weights, 0, m, k, replace, scratch.picks, scratch.weighted);
  } else if (nodeTimes && c.temporal === TEMPORAL_LAST) {
    count = latestByTime(nodeTimes, first, positions, m, k, scratch.picks);
  } else {
    count = chooseAmong(p, r, c, row, m, scratch);
  }
  const picks = scratch.picks;
  for (let q = 0; q < count; q++) picks[q] = positions[picks[q]];
  return count;
}

/**
 * The k most recent of `m` candidates by a time the row is not sorted by, ties to the later position: candidate
 * indices written ascending to `picks`, their count returned.
 */
function latestByTime(
  times: Int32Array,
  first: number,
  positions: Int32Array,
  m: number,
  k: number,
  picks: Int32Array,
): number {
  const count = k < 0 ? m : Math.min(k, m);
  for (let q = 0; q < m; q++) picks[q] = q;
  if (count < m) {
    const at = (q: number) => first + positions[q];
    picks.subarray(0, m).sort((a, b) => {
      const hi = times[2 * at(b) + 1] - times[2 * at(a) + 1];
      if (hi !== 0) return hi;
      const lo = (times[2 * at(b)] >>> 0) - (times[2 * at(a)] >>> 0);
      return lo !== 0 ? lo : b - a;
    });
    picks.subarray(0, count).sort();
  }
  return count;
}

/**
 * The unweighted choice among `m` candidates of row `r` (the eligible prefix, or the positions left after
 * exclusions): the last k under TEMPORAL_LAST, all when the fanout takes all, else k keyed draws. Writes candidate
 * indices (0 … m-1, ascending) to `scratch.picks` and returns how many.
 */
function chooseAmong(p: HopPartition, r: number, c: RowChoice, row: number, m: number, scratch: HopScratch): number {
  const { k, replace } = c;
  if (scratch.picks.length < m) scratch.picks = new Int32Array(m);
  const picks = scratch.picks;
  if (c.temporal === TEMPORAL_LAST) {
    // The k most recent eligible edges, in row order.
    const count = k < 0 ? m : Math.min(k, m);
    for (let q = 0; q < count; q++) picks[q] = m - count + q;
    return count;
  }
  if (takesAll(m, k, replace)) {
    for (let q = 0; q < m; q++) picks[q] = q;
    return m;
  }
  if (m === 0) return 0;
  choosePositions(nodeKey(c.base, p.origIds[r], row), m, k, replace, scratch);
  return k;
}

/** How many of a row's first edges have time ≤ the cutoff (rows are sorted by time): a binary search on halves. */
function eligible(times: Int32Array, first: number, degree: number, cutHi: number, cutLo: number): number {
  let lo = 0;
  let hi = degree;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (notAfter(times, first + mid, cutHi, cutLo)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether time `j` (Int32 halves) is not after the cutoff; `cutLo` unsigned. */
function notAfter(times: Int32Array, j: number, cutHi: number, cutLo: number): boolean {
  const tHi = times[2 * j + 1];
  return tHi < cutHi || (tHi === cutHi && times[2 * j] >>> 0 <= cutLo);
}

/**
 * A hop function's answer to one request from one partition. With `inHeap`, an answer the kernel samples is left in
 * a kernel-heap block of its own (`heapBlock`) rather than copied out, so a worker thread's coordinator can read it
 * in place through the shared memory; other answers are ordinary arrays either way.
 */
export function sampleHop(
  p: HopPartition,
  request: HopRequest,
  scratch: HopScratch = defaultScratch,
  inHeap = false,
): HopResponse {
  const { nodes, rows, fanout: k, replace, edgeIds } = request;
  const { indptr, arcs, eidHi, start, end } = p;
  const choice = rowChoice(request);
  if (choice.weighted && !p.weight) {
    throw new FanoutError('INVALID_ARGUMENT', `partition ${p.part} has no edge weights to sample by`);
  }
  if (choice.temporal !== 0 && !p.timeHalves) {
    throw new FanoutError('INVALID_ARGUMENT', `partition ${p.part} has no edge or node times to sample by`);
  }
  if (choice.byNodeTime && p.timeColumn !== 'nbr_time' && !p.nodeTimeHalves) {
    throw new FanoutError('INVALID_ARGUMENT', `partition ${p.part} has no node times (nbr_time) to sample by`);
  }
  const cut = request.cutoff
    ? new Int32Array(request.cutoff.buffer, request.cutoff.byteOffset, 2 * nodes.length)
    : undefined;
  const exclude = request.exclude;
  const n = nodes.length;
  for (let i = 0; i < n; i++) {
    if (nodes[i] < start || nodes[i] >= end) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `node ${nodes[i]} is not owned by partition ${p.part} (it owns [${start}, ${end}))`,
      );
    }
  }
  let slots = n * k;
  if (k < 0 || slots > UPPER_BOUND_SLOTS) {
    slots = 0;
    for (let i = 0; i < n; i++) {
      const degree = indptr[nodes[i] - start + 1] - indptr[nodes[i] - start];
      slots += takesAll(degree, k, replace) ? degree : degree > 0 ? k : 0;
    }
  }
  const fromKernel = scratch.kernel && sampleRowsInKernel(p, request, slots, scratch.kernel, inHeap);
  if (fromKernel) return fromKernel;
  const counts = new Int32Array(n);
  const nbrOut = new Int32Array(slots);
  const loOut = new Int32Array(edgeIds ? slots : 0);
  const hiOut = edgeIds && eidHi ? new Int32Array(slots) : undefined;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const r = nodes[i] - start;
    const first = indptr[r];
    const chosen = pickRow(
      p,
      r,
      choice,
      rows ? rows[i] : -1,
      cut ? cut[2 * i + 1] : 0,
      cut ? cut[2 * i] : 0,
      scratch,
      exclude ? exclude.neighbors.subarray(exclude.offsets[i], exclude.offsets[i + 1]) : undefined,
    );
    const all = chosen === ALL_NEIGHBORS;
    const count = all ? indptr[r + 1] - first : chosen;
    const picks = scratch.picks;
    for (let q = 0; q < count; q++) {
      const j = first + (all ? q : picks[q]);
      nbrOut[at] = arcs[2 * j];
      if (edgeIds) {
        loOut[at] = arcs[2 * j + 1];
        if (hiOut) hiOut[at] = eidHi![j];
      }
      at++;
    }
    counts[i] = count;
  }
  const response: HopResponse = { counts, nbr: nbrOut.subarray(0, at), eidLo: loOut.subarray(0, edgeIds ? at : 0) };
  if (hiOut) response.eidHi = hiOut.subarray(0, at);
  return response;
}

/** Ascending, so picks follow the canonical row order. Insertion sort: k is a fanout, small. */
function sortPicks(picks: Int32Array, k: number): void {
  if (k > 64) {
    picks.subarray(0, k).sort();
    return;
  }
  for (let a = 1; a < k; a++) {
    const x = picks[a];
    let b = a - 1;
    while (b >= 0 && picks[b] > x) {
      picks[b + 1] = picks[b];
      b--;
    }
    picks[b + 1] = x;
  }
}

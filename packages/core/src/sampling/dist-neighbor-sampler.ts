import pLimit, { type LimitFunction } from 'p-limit';
import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { IdTranslator } from '../ids/index.ts';
import { edgeIdWords, requestFrameBytes, responseFrameBytes } from '../transport/frame.ts';
import type { Invoker, InvokeTrace } from '../transport/invoker.ts';
import { BatchState } from './batch-state.ts';
import {
  ALL_NEIGHBORS,
  type HopPartition,
  type HopRequest,
  HopScratch,
  pickRow,
  type RowChoice,
  TEMPORAL_LAST,
  TEMPORAL_UNIFORM,
} from './hop.ts';
import { requestKey } from './keyed-random.ts';
import { checkBatchKey, parseSamplingOptions, type SamplingOptions, type SamplingOptionsInput } from './options.ts';
import type { SamplerOutput, SampleStats } from './sampler-output.ts';

export interface DistNeighborSamplerOptions {
  /** Edge type to sample (default: the graph's only one). */
  etype?: string;
  /** Hop requests in flight at once, over all batches (default 64). */
  concurrency?: number;
  /** Largest frontier slice sent in one request; a bigger frontier is split (default 65,536 nodes). */
  maxRequestNodes?: number;
}

export interface SeedBatch {
  seeds: ArrayLike<number>;
  /** The batch's index in its run (the determinism contract's batch key). */
  batchKey: number;
}

/**
 * Multi-hop neighbor sampling over a partitioned graph, as PyG's DistNeighborSampler does it: hop by hop, route the
 * frontier to the partitions that own it (a binary search over node_map boundaries), send one request per partition
 * (or several for a large frontier) through the Invoker, merge the answers in frontier order — never in arrival
 * order — relabel, and go on. Seeds and results are original IDs; requests carry internal IDs.
 */
export class DistNeighborSampler {
  readonly etype: string;
  readonly etypeIndex: number;
  readonly translator: IdTranslator;
  /** Exclusive end of each partition's internal ID range, for routing. */
  private readonly partEnds: Int32Array;
  private readonly limit: LimitFunction;
  private readonly maxRequestNodes: number;
  private readonly pool: BatchState[] = [];
  private readonly scratch = new HopScratch();

  constructor(
    readonly graph: PartitionedGraph,
    readonly invoker: Invoker,
    options: DistNeighborSamplerOptions = {},
  ) {
    const m = graph.manifest;
    const etypes = Object.keys(m.etypes);
    this.etype = options.etype ?? (etypes.length === 1 ? etypes[0] : '');
    if (!(this.etype in m.etypes)) {
      throw new FanoutError('INVALID_ARGUMENT', `choose an edge type to sample (${etypes.join(', ')})`);
    }
    const [srcType, , dstType] = this.etype.split(':');
    if (srcType !== dstType) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `multi-hop sampling over ${this.etype} needs one node type at both ends`,
      );
    }
    this.etypeIndex = m.etypes[this.etype];
    this.translator = new IdTranslator(graph, dstType);
    this.partEnds = Int32Array.from(m.node_map[dstType], ([, end]) => end);
    this.limit = pLimit(options.concurrency ?? 64);
    this.maxRequestNodes = options.maxRequestNodes ?? 65_536;
  }

  /**
   * Samples one batch. `seeds` are original node IDs, distinct unless `disjoint`. `exclusions` (internal IDs) are
   * in-neighbors each seed must not sample, as CSR over the seeds: link sampling's seed edges.
   */
  async sample(
    seeds: ArrayLike<number>,
    optionsInput: SamplingOptionsInput,
    batchKey = 0,
    exclusions?: SeedExclusions,
  ): Promise<SamplerOutput> {
    const options = parseSamplingOptions(optionsInput);
    checkBatchKey(batchKey);
    if (options.weight_attr !== undefined && !this.graph.manifest.edge_columns[this.etype]?.includes('weight')) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `weight_attr "${options.weight_attr}": ${this.etype} has no edge weights (ingest an edge table with a weight column)`,
      );
    }
    if (seeds.length === 0) throw new FanoutError('INVALID_ARGUMENT', 'the seed list is empty');
    if (options.seed_time !== undefined) {
      if (typeof options.seed_time === 'number') options.seed_time = new Array(seeds.length).fill(options.seed_time);
      this.checkTemporal(options.seed_time as number[], seeds.length);
    }
    if (!options.disjoint) assertDistinct(seeds);
    if (exclusions && exclusions.offsets.length !== seeds.length + 1) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `exclusions cover ${exclusions.offsets.length - 1} seeds, not ${seeds.length}`,
      );
    }
    const internalSeeds = await this.translator.toInternal(seeds);
    const state = this.pool.pop() ?? new BatchState(this.translator.numNodes);
    try {
      return await this.run(state, internalSeeds, options, batchKey, exclusions);
    } finally {
      this.pool.push(state);
    }
  }

  /**
   * Samples batches with up to `inFlight` of them at once, so merging one batch overlaps with the functions sampling
   * the next; yields in batch order.
   */
  async *sampleBatches(
    batches: Iterable<SeedBatch>,
    options: SamplingOptionsInput,
    inFlight = 4,
  ): AsyncGenerator<SamplerOutput> {
    const window: Promise<SamplerOutput>[] = [];
    for (const batch of batches) {
      const next = this.sample(batch.seeds, options, batch.batchKey);
      next.catch(() => {}); // surfaced when awaited below, in order
      window.push(next);
      if (window.length >= inFlight) yield await window.shift()!;
    }
    while (window.length > 0) yield await window.shift()!;
  }

  private checkTemporal(seedTime: number[], seeds: number): void {
    if (seedTime.length !== seeds) {
      throw new FanoutError('INVALID_ARGUMENT', `seed_time has ${seedTime.length} times for ${seeds} seeds`);
    }
    const columns = this.graph.manifest.edge_columns[this.etype] ?? [];
    if (!columns.includes('time') && !columns.includes('nbr_time')) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `seed_time: ${this.etype} has no edge or node times (ingest a time column on the edges or the nodes)`,
      );
    }
  }

  private async run(
    state: BatchState,
    seeds: Int32Array,
    options: SamplingOptions,
    batchKey: number,
    exclusions: SeedExclusions | undefined,
  ): Promise<SamplerOutput> {
    const { disjoint } = options;
    // Temporal: each batch row's cutoff (its seed's time) as Int32 halves, looked up by the row of every node.
    const cutoffs = Array.isArray(options.seed_time)
      ? new Int32Array(BigInt64Array.from(options.seed_time, (t) => BigInt(t)).buffer)
      : undefined;
    state.reset(seeds.length, disjoint);
    for (let i = 0; i < seeds.length; i++) state.append(seeds[i], disjoint ? i : 0, -1, 0, 0);
    state.numEdges = 0;

    const numSampledNodes = [seeds.length];
    const numSampledEdges: number[] = [];
    const stats: SampleStats = { invocations: 0, requests: 0, partitions: 0, bytesSent: 0, bytesReceived: 0 };
    const trace = { calls: 0 };
    const touched = new Uint8Array(this.partEnds.length);
    let begin = 0;
    for (let hop = 0; hop < options.num_neighbors.length; hop++) {
      const end = state.numNodes;
      const edgesBefore = state.numEdges;
      // Seeds are expanded at hop 0 and never again, so their exclusions matter there only.
      const excluding = hop === 0 ? exclusions : undefined;
      await this.expand(state, begin, end, hop, options, batchKey, stats, touched, trace, cutoffs, excluding);
      numSampledNodes.push(state.numNodes - end);
      numSampledEdges.push(state.numEdges - edgesBefore);
      begin = end;
    }
    // Copies out of the reused buffers: measured faster than handing the buffers over and allocating new ones.
    const internalNode = state.nodes.slice(0, state.numNodes);
    const output: SamplerOutput = {
      node: await this.translator.toOriginal(internalNode),
      internalNode,
      row: state.row.slice(0, state.numEdges),
      col: state.col.slice(0, state.numEdges),
      numSampledNodes,
      numSampledEdges,
      stats,
    };
    if (options.return_edge_id) output.edge = new BigInt64Array(state.eidHalves.slice(0, 2 * state.numEdges).buffer);
    if (disjoint) output.batch = state.batchRows.slice(0, state.numNodes);
    return output;
  }

  /**
   * Groups frontier positions [begin, end) by owning partition, in frontier order, and cuts the remote partitions'
   * groups into requests; `local` holds the partitions this thread samples itself.
   */
  private route(state: BatchState, begin: number, end: number, local: (HopPartition | undefined)[]): Routed {
    const n = end - begin;
    const partOf = new Int32Array(n);
    const ends = this.partEnds;
    const perPart = new Int32Array(ends.length);
    for (let i = 0; i < n; i++) {
      const p = partitionOf(ends, state.nodes[begin + i]);
      partOf[i] = p;
      perPart[p]++;
    }
    const requests: RoutedRequest[] = [];
    const firstRequest = new Int32Array(ends.length).fill(-1);
    for (let p = 0; p < ends.length; p++) {
      if (perPart[p] === 0 || local[p]) continue;
      firstRequest[p] = requests.length;
      for (let from = 0; from < perPart[p]; from += this.maxRequestNodes) {
        const size = Math.min(this.maxRequestNodes, perPart[p] - from);
        requests.push({
          part: p,
          nodes: new Int32Array(size),
          rows: new Int32Array(size),
          positions: new Int32Array(size),
          filled: 0,
        });
      }
    }
    const cursor = Int32Array.from(firstRequest);
    for (let i = 0; i < n; i++) {
      const p = partOf[i];
      if (local[p]) continue;
      let r = requests[cursor[p]];
      if (r.filled === r.nodes.length) r = requests[++cursor[p]];
      r.nodes[r.filled] = state.nodes[begin + i];
      r.positions[r.filled] = begin + i;
      r.rows[r.filled++] = state.batchRows[begin + i];
    }
    return { partOf, requests, firstRequest };
  }

  private request(
    r: RoutedRequest,
    hop: number,
    options: SamplingOptions,
    batchKey: number,
    cutoffs: Int32Array | undefined,
    exclusions: SeedExclusions | undefined,
  ): HopRequest {
    let exclude: HopRequest['exclude'];
    if (exclusions) {
      // At hop 0 the frontier positions are the seeds' positions.
      const offsets = new Int32Array(r.positions.length + 1);
      r.positions.forEach((f, i) => {
        offsets[i + 1] = offsets[i] + exclusions.offsets[f + 1] - exclusions.offsets[f];
      });
      const neighbors = new Int32Array(offsets[r.positions.length]);
      r.positions.forEach((f, i) => {
        neighbors.set(exclusions.neighbors.subarray(exclusions.offsets[f], exclusions.offsets[f + 1]), offsets[i]);
      });
      exclude = { offsets, neighbors };
    }
    let cutoff: BigInt64Array | undefined;
    if (cutoffs) {
      cutoff = new BigInt64Array(r.rows.length);
      const halves = new Int32Array(cutoff.buffer);
      for (let i = 0; i < r.rows.length; i++) {
        halves[2 * i] = cutoffs[2 * r.rows[i]];
        halves[2 * i + 1] = cutoffs[2 * r.rows[i] + 1];
      }
    }
    return {
      graph: this.graph.uri,
      part: r.part,
      etype: this.etype,
      etypeIndex: this.etypeIndex,
      hop,
      fanout: options.num_neighbors[hop],
      replace: options.replace,
      seed: options.seed,
      batchKey,
      nodes: r.nodes,
      rows: options.disjoint ? r.rows : undefined,
      edgeIds: options.return_edge_id,
      weighted: options.weight_attr !== undefined,
      cutoff,
      latest: cutoff ? options.temporal_strategy === 'last' : undefined,
      exclude,
    };
  }

  /**
   * One hop: requests go out for the frontier nodes of remote partitions; then one pass in frontier order appends
   * every edge, sampling nodes of local partitions inline and taking remote nodes' neighbors from the responses,
   * relabelling as it goes (new nodes get the next local indices). Local or remote, a node draws the same sample:
   * both use `choosePositions` with the same keys.
   */
  private async expand(
    state: BatchState,
    begin: number,
    end: number,
    hop: number,
    options: SamplingOptions,
    batchKey: number,
    stats: SampleStats,
    touched: Uint8Array,
    trace: InvokeTrace,
    cutoffs: Int32Array | undefined,
    exclusions: SeedExclusions | undefined,
  ) {
    const local = await this.localPartitions(state, begin, end);
    const routed = this.route(state, begin, end, local);
    const sent = routed.requests.map((r) => this.request(r, hop, options, batchKey, cutoffs, exclusions));
    const responses = await Promise.all(sent.map((r) => this.limit(() => this.invoker.invoke(r, trace))));
    stats.invocations = trace.calls;
    for (let i = 0; i < sent.length; i++) {
      stats.requests++;
      stats.bytesSent += requestFrameBytes(sent[i]);
      stats.bytesReceived += responseFrameBytes(
        responses[i].counts.length,
        responses[i].nbr.length,
        edgeIdWords(responses[i]),
      );
    }
    for (let i = 0; i < end - begin; i++) {
      const p = routed.partOf[i];
      if (!touched[p]) stats.partitions++;
      touched[p] = 1;
    }
    const k = options.num_neighbors[hop];
    const { replace, disjoint, return_edge_id: edgeIds } = options;
    const weighted = options.weight_attr !== undefined;
    const { requests, partOf } = routed;

    // Room for every edge: responses' exact counts, plus nodes × fanout for local nodes (exact degrees only for -1,
    // since reading them here would cost each local node a second cache miss).
    let incoming = 0;
    for (const r of responses) incoming += r.nbr.length;
    for (let f = begin; f < end; f++) {
      const p = local[partOf[f - begin]];
      if (!p) continue;
      const r = state.nodes[f] - p.start;
      incoming += k >= 0 ? k : p.indptr[r + 1] - p.indptr[r];
    }
    state.reserve(incoming);

    const choice: RowChoice = {
      k,
      replace,
      weighted,
      temporal: cutoffs ? (options.temporal_strategy === 'last' ? TEMPORAL_LAST : TEMPORAL_UNIFORM) : 0,
      base: requestKey(options.seed, batchKey, hop, this.etypeIndex),
    };
    const scratch = this.scratch;
    const requestAt = Int32Array.from(routed.firstRequest);
    const nodeAt = new Int32Array(requestAt.length);
    const edgeAt = new Int32Array(requestAt.length);
    for (let f = begin; f < end; f++) {
      const part = partOf[f - begin];
      const batchRow = disjoint ? state.batchRows[f] : 0;
      const p = local[part];
      if (p) {
        const { indptr, nbr, eidLo, eidHi } = p;
        const r = state.nodes[f] - p.start;
        const first = indptr[r];
        const chosen = pickRow(
          p,
          r,
          choice,
          disjoint ? batchRow : -1,
          cutoffs ? cutoffs[2 * batchRow + 1] : 0,
          cutoffs ? cutoffs[2 * batchRow] : 0,
          scratch,
          exclusions ? exclusions.neighbors.subarray(exclusions.offsets[f], exclusions.offsets[f + 1]) : undefined,
        );
        if (chosen === ALL_NEIGHBORS) {
          for (let j = first; j < indptr[r + 1]; j++) {
            state.append(nbr[j], batchRow, f, edgeIds ? eidLo[j] : 0, edgeIds && eidHi ? eidHi[j] : 0);
          }
        } else {
          const picks = scratch.picks;
          for (let q = 0; q < chosen; q++) {
            const j = first + picks[q];
            state.append(nbr[j], batchRow, f, edgeIds ? eidLo[j] : 0, edgeIds && eidHi ? eidHi[j] : 0);
          }
        }
        continue;
      }
      if (nodeAt[part] === requests[requestAt[part]].nodes.length) {
        requestAt[part]++;
        nodeAt[part] = 0;
        edgeAt[part] = 0;
      }
      const response = responses[requestAt[part]];
      const count = response.counts[nodeAt[part]++];
      const from = edgeAt[part];
      edgeAt[part] = from + count;
      const { nbr, eidLo, eidHi } = response;
      for (let q = from; q < from + count; q++) {
        state.append(nbr[q], batchRow, f, edgeIds ? eidLo[q] : 0, eidHi ? eidHi[q] : 0);
      }
    }
  }

  /** The partitions of this hop's frontier that the invoker serves in this thread (loaded once, then cached). */
  private async localPartitions(state: BatchState, begin: number, end: number): Promise<(HopPartition | undefined)[]> {
    const local: (HopPartition | undefined)[] = [];
    const getLocal = this.invoker.localPartition;
    if (!getLocal) return local;
    const ends = this.partEnds;
    const seen = new Uint8Array(ends.length);
    for (let f = begin; f < end; f++) {
      const p = partitionOf(ends, state.nodes[f]);
      if (seen[p]) continue;
      seen[p] = 1;
      local[p] = await getLocal.call(this.invoker, this.graph.uri, p, this.etype);
    }
    return local;
  }
}

/** In-neighbors (internal IDs) seeds must not sample, as CSR over the seeds: seed i skips neighbors[offsets[i]..). */
export interface SeedExclusions {
  offsets: Int32Array;
  neighbors: Int32Array;
}

/** The partition whose internal ID range holds `v`: a binary search over the ranges' ends. */
function partitionOf(ends: Int32Array, v: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v < ends[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface RoutedRequest {
  part: number;
  nodes: Int32Array;
  rows: Int32Array;
  /** Each node's position in the frontier. */
  positions: Int32Array;
  filled: number;
}

interface Routed {
  /** Partition of each frontier position. */
  partOf: Int32Array;
  requests: RoutedRequest[];
  /** Index of each partition's first request, -1 when it has none. */
  firstRequest: Int32Array;
}

function assertDistinct(seeds: ArrayLike<number>): void {
  const sorted = Float64Array.from(seeds).sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `seed ${sorted[i]} appears more than once; seeds must be distinct unless sampling is disjoint`,
      );
    }
  }
}

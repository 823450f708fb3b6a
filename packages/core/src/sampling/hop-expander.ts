import type { LimitFunction } from 'p-limit';
import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { edgeIdWords, requestFrameBytes, responseFrameBytes } from '../transport/frame.ts';
import type { Invoker, InvokeTrace } from '../transport/invoker.ts';
import type { SampledEdges, SampledNodes } from './batch-state.ts';
import {
  ALL_NEIGHBORS,
  type HopPartition,
  type HopRequest,
  type HopResponse,
  HopScratch,
  pickRow,
  type RowChoice,
  TEMPORAL_LAST,
  TEMPORAL_UNIFORM,
} from './hop.ts';
import { mergeInKernel } from './kernel/merge-hop.ts';
import { requestKey } from './keyed-random.ts';
import type { SamplingOptions } from './options.ts';
import type { SampleStats } from './sampler-output.ts';

/** In-neighbors (internal IDs) seeds must not sample, as CSR over the seeds: seed i skips neighbors[offsets[i]..). */
export interface SeedExclusions {
  offsets: Int32Array;
  neighbors: Int32Array;
}

/** What one hop of one batch shares across its edge types. */
export interface HopContext {
  hop: number;
  /** The options every edge type shares (fanouts come per edge type). */
  options: Omit<SamplingOptions, 'num_neighbors'>;
  batchKey: number;
  stats: SampleStats;
  /** Partitions sampled so far in this batch, for `stats.partitions`. */
  touched: Uint8Array;
  trace: InvokeTrace;
  /** Temporal: each batch row's cutoff (its seed's time) as Int32 halves. */
  cutoffs?: Int32Array;
  /** At hop 0 only: the seeds' excluded in-neighbors (the frontier is the seeds). */
  exclusions?: SeedExclusions;
}

/** A batch's context at hop 0: fresh stats, seed cutoffs for temporal sampling, the seeds' exclusions. */
export function batchContext(
  options: HopContext['options'],
  batchKey: number,
  numParts: number,
  exclusions?: SeedExclusions,
): HopContext {
  return {
    hop: 0,
    options,
    batchKey,
    stats: { invocations: 0, requests: 0, partitions: 0, bytesSent: 0, bytesReceived: 0 },
    touched: new Uint8Array(numParts),
    trace: { calls: 0 },
    cutoffs: seedCutoffs(options),
    exclusions,
  };
}

/** Temporal sampling: each batch row's cutoff (its seed's time) as Int32 halves, looked up by every node's row. */
function seedCutoffs(options: Pick<SamplingOptions, 'seed_time'>): Int32Array | undefined {
  return Array.isArray(options.seed_time)
    ? new Int32Array(BigInt64Array.from(options.seed_time, (t) => BigInt(t)).buffer)
    : undefined;
}

/**
 * One hop over one edge type, as PyG's DistNeighborSampler.sample_one_hop does it: route the frontier (destination
 * nodes) to the partitions that own it (a binary search over node_map boundaries), send one request per partition
 * (or several for a large frontier) through the Invoker, and merge the answers in frontier order, never in arrival
 * order, relabelling the neighbors into the source type's node set. Partitions the invoker serves in this thread are
 * sampled inline, with the same keys, so local or remote a node draws the same sample.
 */
export class HopExpander {
  readonly srcType: string;
  readonly dstType: string;
  /** The edge type's index in the manifest, part of the random key. */
  readonly etypeIndex: number;
  /** Exclusive end of each partition's internal ID range of the destination type, for routing. */
  private readonly partEnds: Int32Array;
  private readonly scratch = new HopScratch();

  constructor(
    private readonly graph: PartitionedGraph,
    private readonly invoker: Invoker,
    readonly etype: string,
    private readonly limit: LimitFunction,
    private readonly maxRequestNodes: number,
  ) {
    [this.srcType, , this.dstType] = etype.split(':');
    this.etypeIndex = graph.manifest.etypes[etype];
    this.partEnds = Int32Array.from(graph.manifest.node_map[this.dstType], ([, end]) => end);
  }

  /**
   * Samples `fanout` in-neighbors of the frontier nodes `frontier[begin, end)` and appends the edges to `edges`,
   * relabelling the neighbors into `sources` (for a homogeneous graph, `frontier` itself).
   */
  async expand(
    ctx: HopContext,
    frontier: SampledNodes,
    begin: number,
    end: number,
    sources: SampledNodes,
    edges: SampledEdges,
    fanout: number,
  ): Promise<void> {
    this.merge(await this.send(ctx, frontier, begin, end, fanout), sources, edges);
  }

  /**
   * The first half of a hop: routes the frontier and sends the requests for the nodes of remote partitions. Several
   * edge types' hops can be in flight at once (their requests to one function share an invocation); merging them
   * in a fixed order afterwards keeps the output canonical.
   */
  async send(ctx: HopContext, frontier: SampledNodes, begin: number, end: number, fanout: number): Promise<SentHop> {
    const { stats } = ctx;
    const { partOf, perPart } = this.partsOf(frontier, begin, end);
    const local = await this.localPartitions(perPart);
    const routed = this.route(frontier, begin, partOf, perPart, local);
    const sent = routed.requests.map((r) => this.request(r, ctx, fanout));
    const settled = await Promise.allSettled(sent.map((r) => this.limit(() => this.invoker.invoke(r, ctx.trace))));
    const failed = settled.flatMap((s, i) =>
      s.status === 'rejected' ? [{ part: sent[i].part, error: s.reason }] : [],
    );
    // A batch is whole or an error: never a partial sample. The error names every partition that did not answer.
    if (failed.length > 0) {
      for (const s of settled) if (s.status === 'fulfilled') s.value.release?.();
      throw hopFailure(this.etype, ctx.hop, failed);
    }
    const responses = settled.map((s) => (s as PromiseFulfilledResult<HopResponse>).value);
    stats.invocations = ctx.trace.calls;
    for (let i = 0; i < sent.length; i++) {
      stats.requests++;
      stats.bytesSent += requestFrameBytes(sent[i]);
      stats.bytesReceived += responseFrameBytes(
        responses[i].counts.length,
        responses[i].nbr.length,
        edgeIdWords(responses[i]),
      );
    }
    for (let p = 0; p < perPart.length; p++) {
      if (perPart[p] === 0 || ctx.touched[p]) continue;
      stats.partitions++;
      ctx.touched[p] = 1;
    }
    return { ctx, frontier, begin, end, fanout, local, routed, responses };
  }

  /**
   * The second half: one pass in frontier order appends every edge, sampling nodes of local partitions inline and
   * taking remote nodes' neighbors from the responses; new neighbors get the next indices of `sources`. The
   * responses are released to their transport afterwards.
   */
  merge(sent: SentHop, sources: SampledNodes, edges: SampledEdges): void {
    try {
      this.mergeAnswers(sent, sources, edges);
    } finally {
      for (const response of sent.responses) response.release?.();
    }
  }

  private mergeAnswers(sent: SentHop, sources: SampledNodes, edges: SampledEdges): void {
    const { ctx, frontier, begin, end, fanout, local, routed, responses } = sent;
    const { options, cutoffs, exclusions } = ctx;
    const k = fanout;
    const { replace, disjoint, return_edge_id: edgeIds } = options;
    const weighted = options.weight_attr !== undefined;
    const { requests, partOf, perPart } = routed;

    // Room for every edge: responses' exact counts, plus nodes × fanout for local nodes (exact degrees only for -1,
    // since reading them here would cost each local node a second cache miss).
    let incoming = 0;
    for (const r of responses) incoming += r.nbr.length;
    if (k >= 0) {
      for (let p = 0; p < perPart.length; p++) if (local[p]) incoming += k * perPart[p];
    } else {
      for (let f = begin; f < end; f++) {
        const p = local[partOf[f - begin]];
        if (!p) continue;
        const r = frontier.nodes[f] - p.start;
        incoming += p.indptr[r + 1] - p.indptr[r];
      }
    }
    sources.reserve(incoming);
    edges.reserve(incoming);

    const choice: RowChoice = {
      k,
      replace,
      weighted,
      temporal: cutoffs ? (options.temporal_strategy === 'last' ? TEMPORAL_LAST : TEMPORAL_UNIFORM) : 0,
      byNodeTime: cutoffs !== undefined && options.time_attr === 'nbr_time',
      base: requestKey(options.seed, ctx.batchKey, ctx.hop, this.etypeIndex),
    };
    const scratch = this.scratch;
    if (scratch.kernel && !weighted && !cutoffs && !exclusions && !disjoint) {
      const hop = { frontier, begin, end, partOf, local, responses, k, replace, edgeIds, base: choice.base };
      const responseParts = Int32Array.from(requests, (r) => r.part);
      const firstResponse = routed.firstRequest;
      if (mergeInKernel({ ...hop, responseParts, firstResponse }, sources, edges, scratch.kernel)) return;
    }
    const requestAt = Int32Array.from(routed.firstRequest);
    const nodeAt = new Int32Array(requestAt.length);
    const edgeAt = new Int32Array(requestAt.length);
    for (let f = begin; f < end; f++) {
      const part = partOf[f - begin];
      const batchRow = disjoint ? frontier.batchRows[f] : 0;
      const p = local[part];
      if (p) {
        const { indptr, arcs, eidHi } = p;
        const r = frontier.nodes[f] - p.start;
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
        const all = chosen === ALL_NEIGHBORS;
        const count = all ? indptr[r + 1] - first : chosen;
        const picks = scratch.picks;
        for (let q = 0; q < count; q++) {
          const j = first + (all ? q : picks[q]);
          edges.append(
            sources,
            arcs[2 * j],
            batchRow,
            f,
            edgeIds ? arcs[2 * j + 1] : 0,
            edgeIds && eidHi ? eidHi[j] : 0,
          );
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
        edges.append(sources, nbr[q], batchRow, f, edgeIds ? eidLo[q] : 0, eidHi ? eidHi[q] : 0);
      }
    }
  }

  /** The partition of each frontier position in [begin, end), and how many positions each partition owns. */
  private partsOf(frontier: SampledNodes, begin: number, end: number): { partOf: Int32Array; perPart: Int32Array } {
    const ends = this.partEnds;
    const partOf = new Int32Array(end - begin);
    const perPart = new Int32Array(ends.length);
    for (let i = 0; i < partOf.length; i++) {
      const p = partitionOf(ends, frontier.nodes[begin + i]);
      partOf[i] = p;
      perPart[p]++;
    }
    return { partOf, perPart };
  }

  /**
   * Groups the remote partitions' frontier positions by partition, in frontier order (a counting sort into flat
   * arrays), and cuts each partition's group into requests; `local` holds the partitions this thread samples itself.
   */
  private route(
    frontier: SampledNodes,
    begin: number,
    partOf: Int32Array,
    perPart: Int32Array,
    local: (HopPartition | undefined)[],
  ): Routed {
    const numParts = perPart.length;
    const remote = new Uint8Array(numParts);
    const offset = new Int32Array(numParts + 1);
    for (let p = 0; p < numParts; p++) {
      remote[p] = perPart[p] > 0 && !local[p] ? 1 : 0;
      offset[p + 1] = offset[p] + (remote[p] ? perPart[p] : 0);
    }
    const count = offset[numParts];
    const nodes = new Int32Array(count);
    const rows = new Int32Array(count);
    const positions = new Int32Array(count);
    const cursor = offset.slice(0, numParts);
    for (let i = 0; count > 0 && i < partOf.length; i++) {
      const p = partOf[i];
      if (remote[p] === 0) continue;
      const at = cursor[p]++;
      nodes[at] = frontier.nodes[begin + i];
      rows[at] = frontier.batchRows[begin + i];
      positions[at] = begin + i;
    }
    const requests: RoutedRequest[] = [];
    const firstRequest = new Int32Array(numParts).fill(-1);
    for (let p = 0; p < numParts; p++) {
      if (remote[p] === 0) continue;
      firstRequest[p] = requests.length;
      for (let from = offset[p]; from < offset[p + 1]; from += this.maxRequestNodes) {
        const to = Math.min(from + this.maxRequestNodes, offset[p + 1]);
        requests.push({
          part: p,
          nodes: nodes.subarray(from, to),
          rows: rows.subarray(from, to),
          positions: positions.subarray(from, to),
        });
      }
    }
    return { partOf, perPart, requests, firstRequest };
  }

  private request(r: RoutedRequest, ctx: HopContext, fanout: number): HopRequest {
    const { options, cutoffs, exclusions } = ctx;
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
      hop: ctx.hop,
      fanout,
      replace: options.replace,
      seed: options.seed,
      batchKey: ctx.batchKey,
      nodes: r.nodes,
      rows: options.disjoint ? r.rows : undefined,
      edgeIds: options.return_edge_id,
      weighted: options.weight_attr !== undefined,
      cutoff,
      latest: cutoff ? options.temporal_strategy === 'last' : undefined,
      byNodeTime: cutoff && options.time_attr === 'nbr_time' ? true : undefined,
      exclude,
    };
  }

  /** The partitions of this hop's frontier that the invoker serves in this thread (loaded once, then cached). */
  private async localPartitions(perPart: Int32Array): Promise<(HopPartition | undefined)[]> {
    const local: (HopPartition | undefined)[] = [];
    const getLocal = this.invoker.localPartition;
    if (!getLocal) return local;
    for (let p = 0; p < perPart.length; p++) {
      if (perPart[p] > 0) local[p] = await getLocal.call(this.invoker, this.graph.uri, p, this.etype);
    }
    return local;
  }
}

/** The error of a hop some partitions failed: the first failure's code and retryability, every partition named. */
function hopFailure(etype: string, hop: number, failed: { part: number; error: unknown }[]): FanoutError {
  const parts = [...new Set(failed.map((f) => f.part))].sort((a, b) => a - b);
  const first = failed[0].error;
  const cause = first instanceof Error ? first.message : String(first);
  return new FanoutError(
    first instanceof FanoutError ? first.code : 'TRANSPORT_ERROR',
    `the batch failed at hop ${hop} of ${etype}: partition${parts.length > 1 ? 's' : ''} ${parts.join(', ')} did not answer (${cause})`,
    { cause: first, retryable: first instanceof FanoutError && first.retryable },
  );
}

/** A hop whose requests have been answered, waiting to be merged. */
export interface SentHop {
  ctx: HopContext;
  frontier: SampledNodes;
  begin: number;
  end: number;
  fanout: number;
  local: (HopPartition | undefined)[];
  routed: Routed;
  responses: HopResponse[];
}

/**
 * The partition whose internal ID range holds `v`. For a few partitions, by counting the ranges that end at or
 * below `v`, branch-free (a frontier's parts are random, so a binary search's branches mispredict: measured as 9% of
 * the coordinator's time with 4 partitions); for more, a binary search over the ranges' ends.
 */
function partitionOf(ends: Int32Array, v: number): number {
  if (ends.length <= 16) {
    let p = 0;
    // 1 - sign bit of (v - end): 1 when the range ends at or below v (IDs are below 2^31, so no overflow).
    for (let i = 0; i < ends.length - 1; i++) p += 1 - ((v - ends[i]) >>> 31);
    return p;
  }
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
}

interface Routed {
  /** Partition of each frontier position. */
  partOf: Int32Array;
  /** How many frontier positions each partition owns. */
  perPart: Int32Array;
  requests: RoutedRequest[];
  /** Index of each partition's first request, -1 when it has none. */
  firstRequest: Int32Array;
}

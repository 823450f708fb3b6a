import pLimit from 'p-limit';
import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { IdTranslator } from '../ids/index.ts';
import type { Invoker } from '../transport/invoker.ts';
import { SampledEdges, SampledNodes } from './batch-state.ts';
import { batchContext, HopExpander, type SeedExclusions } from './hop-expander.ts';
import { inOrder } from './in-order.ts';
import { checkBatchKey, parseSamplingOptions, type SamplingOptions, type SamplingOptionsInput } from './options.ts';
import { BufferCarver, OutputBuffers } from './output-buffers.ts';
import { retainFreedHeap } from './retain-freed-heap.ts';
import type { SamplerOutput } from './sampler-output.ts';
import { checkSeeds } from './seed-checks.ts';

export type { SeedExclusions } from './hop-expander.ts';

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
  readonly translator: IdTranslator;
  private readonly hop: HopExpander;
  private readonly pool: { nodes: SampledNodes; edges: SampledEdges }[] = [];
  private readonly outputs = new OutputBuffers();

  /** The edge type's index in the manifest, part of the random key. */
  get etypeIndex(): number {
    return this.hop.etypeIndex;
  }

  constructor(
    readonly graph: PartitionedGraph,
    readonly invoker: Invoker,
    options: DistNeighborSamplerOptions = {},
  ) {
    retainFreedHeap();
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
    this.translator = new IdTranslator(graph, dstType);
    const limit = pLimit(options.concurrency ?? 64);
    this.hop = new HopExpander(graph, invoker, this.etype, limit, options.maxRequestNodes ?? 65_536);
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
    checkSeeds(this.graph.manifest, [this.etype], seeds, options);
    if (exclusions && exclusions.offsets.length !== seeds.length + 1) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `exclusions cover ${exclusions.offsets.length - 1} seeds, not ${seeds.length}`,
      );
    }
    const internalSeeds = await this.translator.toInternal(seeds);
    const state = this.pool.pop() ?? {
      nodes: new SampledNodes(this.translator.numNodes),
      edges: new SampledEdges(),
    };
    try {
      return await this.run(state, internalSeeds, options, batchKey, exclusions);
    } finally {
      this.pool.push(state);
    }
  }

  /**
   * Gives an output's storage back for later outputs to reuse, once its consumer is done with it: optional, and
   * worth it for a loop that samples batch after batch (measured on ego-Twitter: workers transport 1.09x, in-process
   * 1.02x, and no full collections when outputs are kept a while). The output's arrays, and blocks made of them, must
   * not be read afterwards: later outputs overwrite them. An output recycled twice, or made by another sampler, is an
   * INVALID_ARGUMENT error.
   */
  recycle(output: SamplerOutput): void {
    this.outputs.giveBack(output);
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
    yield* inOrder(batches, (batch) => this.sample(batch.seeds, options, batch.batchKey), inFlight);
  }

  private async run(
    { nodes, edges }: { nodes: SampledNodes; edges: SampledEdges },
    seeds: Int32Array,
    options: SamplingOptions,
    batchKey: number,
    exclusions: SeedExclusions | undefined,
  ): Promise<SamplerOutput> {
    const { disjoint } = options;
    nodes.reset(disjoint);
    edges.numEdges = 0;
    nodes.reserve(seeds.length);
    for (let i = 0; i < seeds.length; i++) nodes.insert(seeds[i], disjoint ? i : 0);

    const numSampledNodes = [nodes.numNodes];
    const numSampledEdges: number[] = [];
    const ctx = batchContext(options, batchKey, this.graph.manifest.num_parts, exclusions);
    let begin = 0;
    for (let hop = 0; hop < options.num_neighbors.length; hop++) {
      const end = nodes.numNodes;
      const edgesBefore = edges.numEdges;
      ctx.hop = hop;
      // Seeds are expanded at hop 0 and never again, so their exclusions matter there only.
      if (hop > 0) ctx.exclusions = undefined;
      await this.hop.expand(ctx, nodes, begin, end, nodes, edges, options.num_neighbors[hop]);
      numSampledNodes.push(nodes.numNodes - end);
      numSampledEdges.push(edges.numEdges - edgesBefore);
      begin = end;
    }
    // Copied out of the reused batch state into one buffer, recycled when the caller gives the output back.
    const n = nodes.numNodes;
    const m = edges.numEdges;
    const edgeIds = options.return_edge_id;
    const buffer = this.outputs.take(
      BufferCarver.bytes(4 * n, 4 * n, 4 * m, 4 * m, edgeIds ? 8 * m : 0, disjoint ? 4 * n : 0),
    );
    const out = new BufferCarver(buffer);
    const internalNode = out.int32(n, nodes.nodes);
    const output: SamplerOutput = {
      node: await this.translator.toOriginal(internalNode, out.int32(n)),
      internalNode,
      row: out.int32(m, edges.row),
      col: out.int32(m, edges.col),
      numSampledNodes,
      numSampledEdges,
      stats: ctx.stats,
    };
    if (edgeIds) output.edge = out.bigInt64(m, edges.eidHalves);
    if (disjoint) output.batch = out.int32(n, nodes.batchRows);
    this.outputs.lend(output, buffer);
    return output;
  }
}

import pLimit from 'p-limit';
import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { IdTranslator } from '../ids/index.ts';
import type { Invoker } from '../transport/invoker.ts';
import { SampledEdges, SampledNodes } from './batch-state.ts';
import type { DistNeighborSamplerOptions, SeedBatch } from './dist-neighbor-sampler.ts';
import { batchContext, HopExpander } from './hop-expander.ts';
import { inOrder } from './in-order.ts';
import {
  checkBatchKey,
  fanoutsPerEdgeType,
  type HeteroSamplingOptions,
  type HeteroSamplingOptionsInput,
  parseHeteroSamplingOptions,
} from './options.ts';
import { retainFreedHeap } from './retain-freed-heap.ts';
import type { HeteroSamplerOutput } from './sampler-output.ts';
import { checkSeeds } from './seed-checks.ts';

/** A batch's growing sample: a node set per node type, an edge set per edge type (manifest order). */
interface HeteroBatch {
  nodes: SampledNodes[];
  edges: SampledEdges[];
}

/**
 * Multi-hop sampling over every edge type of a heterogeneous graph, as PyG's NeighborSampler does for HeteroData:
 * seeds of one node type; at each hop, every edge type (in the manifest's order) samples its fanout of in-neighbors
 * for the destination nodes found at the previous hop, and the neighbors join their own type's node list. Each edge
 * type's hop goes through the same HopExpander as homogeneous sampling, keyed by the edge type's index, so the
 * determinism contract holds per type.
 */
export class HeteroNeighborSampler {
  readonly ntypes: string[];
  readonly etypes: string[];
  private readonly translators: IdTranslator[];
  private readonly hops: HopExpander[];
  /** For each edge type, the indices of its source and destination node types. */
  private readonly srcIndex: number[];
  private readonly dstIndex: number[];
  private readonly pool: HeteroBatch[] = [];

  constructor(
    readonly graph: PartitionedGraph,
    readonly invoker: Invoker,
    options: Omit<DistNeighborSamplerOptions, 'etype'> = {},
  ) {
    retainFreedHeap();
    const m = graph.manifest;
    this.ntypes = Object.keys(m.ntypes).sort((a, b) => m.ntypes[a] - m.ntypes[b]);
    this.etypes = Object.keys(m.etypes).sort((a, b) => m.etypes[a] - m.etypes[b]);
    this.translators = this.ntypes.map((t) => new IdTranslator(graph, t));
    const limit = pLimit(options.concurrency ?? 64);
    this.hops = this.etypes.map((e) => new HopExpander(graph, invoker, e, limit, options.maxRequestNodes ?? 65_536));
    this.srcIndex = this.hops.map((h) => this.ntypes.indexOf(h.srcType));
    this.dstIndex = this.hops.map((h) => this.ntypes.indexOf(h.dstType));
  }

  /**
   * Samples one batch of seeds of node type `inputType` (original IDs, distinct unless disjoint), PyG's
   * `input_nodes=(input_type, ids)`.
   */
  async sample(
    inputType: string,
    seeds: ArrayLike<number>,
    optionsInput: HeteroSamplingOptionsInput,
    batchKey = 0,
  ): Promise<HeteroSamplerOutput> {
    const options = parseHeteroSamplingOptions(optionsInput);
    checkBatchKey(batchKey);
    const seedType = this.ntypes.indexOf(inputType);
    if (seedType < 0) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `input_type "${inputType}": the graph's node types are ${this.ntypes.join(', ')}`,
      );
    }
    const fanouts = fanoutsPerEdgeType(options.num_neighbors, this.etypes);
    const sampled = this.etypes.filter((_, e) => fanouts[e].some((k) => k !== 0));
    checkSeeds(this.graph.manifest, sampled, seeds, options);
    const internalSeeds = await this.translators[seedType].toInternal(seeds);
    const batch = this.pool.pop() ?? {
      nodes: this.translators.map((t) => new SampledNodes(t.numNodes)),
      edges: this.etypes.map(() => new SampledEdges()),
    };
    try {
      return await this.run(batch, seedType, internalSeeds, options, fanouts, batchKey);
    } finally {
      this.pool.push(batch);
    }
  }

  /** Samples batches of seeds of one node type, up to `inFlight` at once; yields in batch order. */
  sampleBatches(
    inputType: string,
    batches: Iterable<SeedBatch>,
    options: HeteroSamplingOptionsInput,
    inFlight = 4,
  ): AsyncGenerator<HeteroSamplerOutput> {
    return inOrder(batches, (batch) => this.sample(inputType, batch.seeds, options, batch.batchKey), inFlight);
  }

  private async run(
    { nodes, edges }: HeteroBatch,
    seedType: number,
    seeds: Int32Array,
    options: HeteroSamplingOptions,
    fanouts: number[][],
    batchKey: number,
  ): Promise<HeteroSamplerOutput> {
    const { disjoint } = options;
    for (const set of nodes) set.reset(disjoint);
    for (const set of edges) set.numEdges = 0;
    nodes[seedType].reserve(seeds.length);
    for (let i = 0; i < seeds.length; i++) nodes[seedType].insert(seeds[i], disjoint ? i : 0);

    const numSampledNodes = nodes.map((set) => [set.numNodes]);
    const numSampledEdges: number[][] = edges.map(() => []);
    const ctx = batchContext(options, batchKey, this.graph.manifest.num_parts);
    const begin = new Int32Array(nodes.length);
    const numHops = fanouts[0]?.length ?? 0;
    for (let hop = 0; hop < numHops; hop++) {
      ctx.hop = hop;
      // This hop's frontier of each type is what the previous hop found; what this hop finds waits for the next.
      const end = Int32Array.from(nodes, (set) => set.numNodes);
      // Every edge type's requests go out together; the answers merge in edge type order.
      const sent = await Promise.all(
        this.hops.map((hop, e) => {
          const dst = this.dstIndex[e];
          const k = fanouts[e][ctx.hop];
          return k !== 0 && end[dst] > begin[dst] ? hop.send(ctx, nodes[dst], begin[dst], end[dst], k) : undefined;
        }),
      );
      for (let e = 0; e < this.hops.length; e++) {
        const before = edges[e].numEdges;
        const answered = sent[e];
        if (answered) this.hops[e].merge(answered, nodes[this.srcIndex[e]], edges[e]);
        numSampledEdges[e].push(edges[e].numEdges - before);
      }
      for (let t = 0; t < nodes.length; t++) {
        numSampledNodes[t].push(nodes[t].numNodes - end[t]);
        begin[t] = end[t];
      }
    }

    const output: HeteroSamplerOutput = {
      node: {},
      internalNode: {},
      row: {},
      col: {},
      numSampledNodes: {},
      numSampledEdges: {},
      stats: ctx.stats,
    };
    if (options.return_edge_id) output.edge = {};
    if (disjoint) output.batch = {};
    for (let t = 0; t < nodes.length; t++) {
      const name = this.ntypes[t];
      const internal = nodes[t].nodes.slice(0, nodes[t].numNodes);
      output.internalNode[name] = internal;
      output.node[name] = await this.translators[t].toOriginal(internal);
      output.numSampledNodes[name] = numSampledNodes[t];
      if (output.batch) output.batch[name] = nodes[t].batchRows.slice(0, nodes[t].numNodes);
    }
    for (let e = 0; e < edges.length; e++) {
      const name = this.etypes[e];
      const set = edges[e];
      output.row[name] = set.row.slice(0, set.numEdges);
      output.col[name] = set.col.slice(0, set.numEdges);
      output.numSampledEdges[name] = numSampledEdges[e];
      if (output.edge) output.edge[name] = new BigInt64Array(set.eidHalves.slice(0, 2 * set.numEdges).buffer);
    }
    return output;
  }
}

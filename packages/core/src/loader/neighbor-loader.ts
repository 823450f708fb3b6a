import { FanoutError } from '../errors/index.ts';
import type { FeatureRows, FeatureStore } from '../features/index.ts';
import { readBool } from '../format/columns.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { IdTranslator } from '../ids/index.ts';
import type { DistNeighborSampler, SamplerOutput, SamplingOptionsInput } from '../sampling/index.ts';
import { type ItemBatch, ItemSampler, type ItemSamplerOptions } from './item-sampler.ts';

/** What a training step consumes: the sampled subgraph, its nodes' features, its seeds' labels. */
export interface MiniBatch {
  batchKey: number;
  index: number;
  /** Seed node IDs (original). */
  seeds: Int32Array;
  sample: SamplerOutput;
  /** Features of every sampled node, in `sample.node` order. */
  features?: FeatureRows<Float32Array>;
  /** Labels of the seeds. */
  labels?: Int32Array;
  /** How long its stages took (they overlap with other batches' when prefetching). */
  timings: { sampleMs: number; fetchMs: number };
}

export interface NeighborLoaderOptions extends ItemSamplerOptions, SamplingOptionsInput {
  /** Node type of the items (default: the graph's only one). */
  ntype?: string;
  /** Feature column to fetch for every sampled node; none when absent. */
  featureName?: string;
  /** Fetch the seeds' labels. */
  labels?: boolean;
  /** Batches sampled and fetched ahead of the one being consumed (default 2; 0 = none). */
  prefetch?: number;
}

/**
 * PyG's NeighborLoader as a pipeline of small stages, as GraphBolt builds its loaders: item sampler → sample
 * neighbors (any transport) → fetch features and labels → MiniBatch. Up to `prefetch` batches run ahead while the
 * current one is consumed; results are yielded in batch order and do not depend on the prefetch depth.
 */
export class NeighborLoader {
  readonly items: ItemSampler;
  private readonly ntype: string;

  constructor(
    readonly graph: PartitionedGraph,
    readonly sampler: DistNeighborSampler,
    items: Int32Array,
    readonly options: NeighborLoaderOptions,
    readonly features?: FeatureStore,
  ) {
    this.items = new ItemSampler(items, options);
    this.ntype = options.ntype ?? Object.keys(graph.manifest.ntypes)[0];
  }

  async *epoch(epoch: number): AsyncGenerator<MiniBatch> {
    const depth = Math.max(0, this.options.prefetch ?? 2);
    const window: Promise<MiniBatch>[] = [];
    for (const batch of this.items.epoch(epoch)) {
      const next = this.load(batch);
      next.catch(() => {}); // surfaced when awaited, in order
      window.push(next);
      if (window.length > depth) yield await window.shift()!;
    }
    while (window.length > 0) yield await window.shift()!;
  }

  /**
   * Gives a consumed batch's sampled arrays back for later batches to reuse (DistNeighborSampler.recycle): call it
   * once the step is done with `batch`, whose `sample` must not be read afterwards.
   */
  recycle(batch: MiniBatch): void {
    this.sampler.recycle(batch.sample);
  }

  /** Stages 2 and 3 for one batch. */
  private async load(batch: ItemBatch): Promise<MiniBatch> {
    const started = performance.now();
    const sample = await this.sampler.sample(batch.seeds, this.options, batch.batchKey);
    const sampled = performance.now();
    const out: MiniBatch = {
      batchKey: batch.batchKey,
      index: batch.index,
      seeds: batch.seeds,
      sample,
      timings: { sampleMs: sampled - started, fetchMs: 0 },
    };
    const { featureName, labels } = this.options;
    const [features, seedLabels] = await Promise.all([
      featureName && this.features ? this.features.lookup(this.ntype, featureName, sample.internalNode) : undefined,
      labels && this.features
        ? this.features.labels(this.ntype, sample.internalNode.subarray(0, batch.seeds.length))
        : undefined,
    ]);
    if (features) out.features = features;
    if (seedLabels) out.labels = seedLabels;
    out.timings.fetchMs = performance.now() - sampled;
    return out;
  }
}

/** Original IDs of the nodes whose `mask` column (train_mask, val_mask, test_mask) is set, ascending. */
export async function maskedNodes(
  graph: PartitionedGraph,
  mask: 'train_mask' | 'val_mask' | 'test_mask',
  ntype?: string,
): Promise<Int32Array> {
  const type = ntype ?? Object.keys(graph.manifest.ntypes)[0];
  const internal: number[] = [];
  if (!graph.manifest.node_features[type]?.some((f) => f.name === mask)) {
    throw new FanoutError('NOT_FOUND', `graph ${graph.manifest.graph_name} has no ${mask} for node type ${type}`);
  }
  for (let p = 0; p < graph.numParts; p++) {
    // Only the mask column is read out of the table (Arrow's columns are views; the features are not copied).
    const entry = graph.manifest.parts[p].node_feats[type];
    const bits = readBool(await graph.fileReader(entry).readAll(), mask, entry.key);
    const start = graph.manifest.node_map[type][p][0];
    for (let r = 0; r < bits.length; r++) if (bits[r]) internal.push(start + r);
  }
  const orig = await new IdTranslator(graph, type).toOriginal(internal);
  return orig.sort();
}

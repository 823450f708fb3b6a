export {
  DistNeighborSampler,
  type DistNeighborSamplerOptions,
  type SeedBatch,
  type SeedExclusions,
} from './dist-neighbor-sampler.ts';
export { HeteroNeighborSampler } from './hetero-neighbor-sampler.ts';
export { type HopPartition, type HopRequest, type HopResponse, HopScratch, sampleHop } from './hop.ts';
export { HopService, type HopServiceOptions, type HopServiceStats } from './hop-service.ts';
export { drawBelow, fmix32, nodeKey, requestKey } from './keyed-random.ts';
export {
  LinkNeighborSampler,
  type LinkSamplerOutput,
  type LinkSamplingOptionsInput,
  type NegSamplingInput,
  negSamplingSchema,
} from './link-sampler.ts';
export { hopPartitionBytes, loadHopPartition } from './load-partition.ts';
export { NodeMap } from './node-map.ts';
export {
  fanoutsPerEdgeType,
  type HeteroSamplingOptions,
  type HeteroSamplingOptionsInput,
  heteroSamplingOptionsSchema,
  parseHeteroSamplingOptions,
  parseSamplingOptions,
  type SamplingOptions,
  type SamplingOptionsInput,
  samplingOptionsSchema,
} from './options.ts';
export { heteroSampleToArrowStream, heteroSampleToJson, sampleToArrowStream, sampleToJson } from './sample-encoding.ts';
export type { HeteroSamplerOutput } from './sampler-output.ts';
export { type Block, type SamplerOutput, type SampleStats, toBlocks } from './sampler-output.ts';
export { randomSeedBatches } from './seed-batches.ts';

export { type ItemBatch, ItemSampler, type ItemSamplerOptions } from './item-sampler.ts';
export { type MiniBatch, maskedNodes, NeighborLoader, type NeighborLoaderOptions } from './neighbor-loader.ts';

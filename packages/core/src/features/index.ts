export {
  FeatureBuffer,
  type FeatureRows,
  FeatureStore,
  type FeatureStoreOptions,
  type FeatureStoreStats,
} from './feature-store.ts';

/** @fanout/trainer: GraphSAGE in TensorFlow.js over sampled blocks. */
export { meanAggregate } from './aggregate.ts';
export { selectBackend } from './backend.ts';
export { DEFAULT_LINK_OPTIONS, DEFAULT_TRAIN_OPTIONS } from './defaults.ts';
export { GraphSage, type GraphSageOptions } from './graphsage.ts';
export {
  auc,
  type LinkEpochStats,
  type LinkTrainOptions,
  type LinkTrainResult,
  trainLinkPrediction,
} from './link-prediction.ts';
export { loadGraphSage, saveGraphSage } from './model-store.ts';
export {
  type EpochStats,
  type TrainOptions,
  type TrainResult,
  trainGraphSage,
} from './train.ts';

/** @fanout/trainer: GraphSAGE in TensorFlow.js over sampled blocks. */
export { meanAggregate } from './aggregate.ts';
export { selectBackend } from './backend.ts';
export { GraphSage, type GraphSageOptions } from './graphsage.ts';
export {
  auc,
  DEFAULT_LINK_OPTIONS,
  type LinkEpochStats,
  type LinkTrainOptions,
  type LinkTrainResult,
  trainLinkPrediction,
} from './link-prediction.ts';
export { loadGraphSage, saveGraphSage } from './model-store.ts';
export {
  DEFAULT_TRAIN_OPTIONS,
  type EpochStats,
  type TrainOptions,
  type TrainResult,
  trainGraphSage,
} from './train.ts';

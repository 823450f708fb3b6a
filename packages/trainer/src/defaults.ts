/**
 * The training recipes' defaults, in a module of their own without TensorFlow.js: the CLI builds its flags from them
 * at start, and loads the trainer (and tfjs, ~1 s and ~40 MB of heap) only when a training command runs.
 */
import type { LinkTrainOptions } from './link-prediction.ts';
import type { TrainOptions } from './train.ts';

/**
 * The usual Cora recipe (PyG's and DGL's GraphSAGE examples: Adam at 0.01, weight decay 5e-4, dropout 0.5, two layers,
 * full-neighborhood evaluation, the best-validation model kept). Hidden 64 and 10 epochs keep the CPU backend's run
 * under half a minute; validation peaks within the first few epochs, at ≈ 0.80 test accuracy.
 */
export const DEFAULT_TRAIN_OPTIONS: Omit<TrainOptions, 'onEpoch'> = {
  epochs: 10,
  fanouts: [10, 10],
  batchSize: 32,
  hidden: 64,
  lr: 0.01,
  weightDecay: 5e-4,
  dropout: 0.5,
  seed: 0,
};

/** Link prediction's defaults: 256 positive links per batch (and as many random negatives), lighter dropout. */
export const DEFAULT_LINK_OPTIONS: Omit<LinkTrainOptions, 'onEpoch'> = {
  epochs: 10,
  fanouts: [10, 10],
  batchSize: 256,
  hidden: 64,
  lr: 0.01,
  dropout: 0.2,
  seed: 0,
};

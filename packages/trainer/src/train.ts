import {
  type DistNeighborSampler,
  FanoutError,
  type FeatureStore,
  IdTranslator,
  maskedNodes,
  NeighborLoader,
  type PartitionedGraph,
  toBlocks,
} from '@fanout/core';
import * as tf from '@tensorflow/tfjs';
import { BestWeights } from './best-weights.ts';
import { GraphSage } from './graphsage.ts';
import { inputs } from './inputs.ts';

export interface TrainOptions {
  epochs: number;
  /** Fanouts for training; evaluation takes full neighborhoods over as many hops. */
  fanouts: number[];
  batchSize: number;
  hidden: number;
  lr: number;
  weightDecay: number;
  dropout: number;
  seed: number;
  featureName?: string;
  /** Scale each node's features to sum to 1, as PyG's NormalizeFeatures does for Planetoid graphs (default true). */
  normalizeFeatures?: boolean;
  evalBatchSize?: number;
  /** Batches the loader samples and fetches ahead of the training step (default 2; 0: none). */
  prefetch?: number;
  onEpoch?: (stats: EpochStats) => void;
}

export interface EpochStats {
  epoch: number;
  loss: number;
  train_acc: number;
  val_acc: number;
  test_acc: number;
  seconds: number;
  batches_per_s: number;
  /**
   * Where the training pass's time went: sampling and feature fetching (summed over batches; with prefetch they
   * overlap the steps), the training steps, and the time the steps waited for the loader.
   */
  sample_s: number;
  fetch_s: number;
  train_s: number;
  wait_s: number;
}

export interface TrainResult {
  epochs: EpochStats[];
  best: { epoch: number; val_acc: number; test_acc: number };
  model: GraphSage;
}

/**
 * Trains GraphSAGE for node classification on the graph's train_mask nodes, evaluating on val_mask and test_mask
 * with full neighborhoods after every epoch, and keeps the model of the best validation accuracy.
 */
export async function trainGraphSage(
  graph: PartitionedGraph,
  sampler: DistNeighborSampler,
  features: FeatureStore,
  options: TrainOptions,
): Promise<TrainResult> {
  const ntype = Object.keys(graph.manifest.ntypes)[0];
  const featureName = options.featureName ?? 'feat';
  const spec = graph.manifest.node_features[ntype]?.find((f) => f.name === featureName);
  if (!spec)
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `graph ${graph.manifest.graph_name} has no node feature "${featureName}"`,
    );
  const [train, val, test] = await Promise.all([
    maskedNodes(graph, 'train_mask'),
    maskedNodes(graph, 'val_mask'),
    maskedNodes(graph, 'test_mask'),
  ]);
  if (train.length === 0)
    throw new FanoutError('INVALID_ARGUMENT', `graph ${graph.manifest.graph_name} has no training nodes`);
  const translator = new IdTranslator(graph, ntype);
  const allLabels = await features.labels(
    ntype,
    await translator.toInternal(Int32Array.from([...train, ...val, ...test])),
  );
  const classes = Math.max(...allLabels) + 1;

  const model = new GraphSage({
    inputDim: spec.shape[0],
    hidden: options.hidden,
    classes,
    layers: options.fanouts.length,
    dropout: options.dropout,
    seed: options.seed,
  });
  const optimizer = tf.train.adam(options.lr);
  const loader = new NeighborLoader(
    graph,
    sampler,
    train,
    {
      batchSize: options.batchSize,
      shuffle: true,
      seed: options.seed,
      num_neighbors: options.fanouts,
      featureName,
      labels: true,
      prefetch: options.prefetch,
    },
    features,
  );
  const normalize = options.normalizeFeatures ?? true;
  const evaluate = (nodes: Int32Array) =>
    accuracy(
      graph,
      sampler,
      features,
      model,
      nodes,
      options.fanouts.length,
      featureName,
      options.evalBatchSize ?? 1024,
      normalize,
    );

  const epochs: EpochStats[] = [];
  /** Training steps so far: with the seed, it keys each step's dropout masks, so a run repeats exactly. */
  let step = 0;
  let best = { epoch: -1, val_acc: -1, test_acc: 0 };
  const bestWeights = new BestWeights();
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const started = performance.now();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let batches = 0;
    const split = { sample: 0, fetch: 0, train: 0, wait: 0 };
    let waitFrom = performance.now();
    for await (const batch of loader.epoch(epoch)) {
      const stepFrom = performance.now();
      split.wait += stepFrom - waitFrom;
      split.sample += batch.timings.sampleMs;
      split.fetch += batch.timings.fetchMs;
      const blocks = toBlocks(batch.sample);
      const labels = batch.labels!;
      const loss = tf.tidy(() => {
        const x = inputs(batch.features!, batch.sample.node.length, normalize);
        const target = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
        const cost = optimizer.minimize(() => {
          const logits = model.forward(x, blocks, true, step);
          const predicted = tf.argMax(logits, 1).dataSync();
          for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
          const ce = tf.losses.softmaxCrossEntropy(target, logits);
          const l2 = tf.addN(model.weights.map((w) => tf.sum(tf.square(w))));
          return tf.add(ce, tf.mul(l2, options.weightDecay / 2)) as tf.Scalar;
        }, true);
        return cost!.dataSync()[0];
      });
      loader.recycle(batch);
      lossSum += loss * labels.length;
      seen += labels.length;
      batches++;
      step++;
      waitFrom = performance.now();
      split.train += waitFrom - stepFrom;
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const [valAcc, testAcc] = [await evaluate(val), await evaluate(test)];
    const stats: EpochStats = {
      epoch,
      loss: lossSum / seen,
      train_acc: correct / seen,
      val_acc: valAcc,
      test_acc: testAcc,
      seconds: (performance.now() - started) / 1000,
      batches_per_s: batches / trainSeconds,
      sample_s: split.sample / 1000,
      fetch_s: split.fetch / 1000,
      train_s: split.train / 1000,
      wait_s: split.wait / 1000,
    };
    epochs.push(stats);
    options.onEpoch?.(stats);
    if (valAcc > best.val_acc) {
      best = { epoch, val_acc: valAcc, test_acc: testAcc };
      bestWeights.keep(model);
    }
  }
  bestWeights.restore(model);
  optimizer.dispose();
  return { epochs, best, model };
}

/** Accuracy on `nodes` with full neighborhoods over `hops` hops. */
async function accuracy(
  graph: PartitionedGraph,
  sampler: DistNeighborSampler,
  features: FeatureStore,
  model: GraphSage,
  nodes: Int32Array,
  hops: number,
  featureName: string,
  batchSize: number,
  normalize: boolean,
): Promise<number> {
  if (nodes.length === 0) return 0;
  const loader = new NeighborLoader(
    graph,
    sampler,
    nodes,
    { batchSize, num_neighbors: new Array(hops).fill(-1), featureName, labels: true },
    features,
  );
  let correct = 0;
  for await (const batch of loader.epoch(0)) {
    const predicted = tf.tidy(() => {
      const x = inputs(batch.features!, batch.sample.node.length, normalize);
      return tf.argMax(model.forward(x, toBlocks(batch.sample), false), 1).dataSync();
    });
    for (let i = 0; i < batch.labels!.length; i++) if (predicted[i] === batch.labels![i]) correct++;
    loader.recycle(batch);
  }
  return correct / nodes.length;
}

import {
  type DistNeighborSampler,
  FanoutError,
  type FeatureStore,
  LinkNeighborSampler,
  type LinkPairs,
  type LinkSamplerOutput,
  toBlocks,
  Xoshiro128,
} from '@fanout/core';
import * as tf from '@tensorflow/tfjs';
import { BestWeights } from './best-weights.ts';
import { GraphSage } from './graphsage.ts';
import { inputs } from './inputs.ts';

export interface LinkTrainOptions {
  epochs: number;
  fanouts: number[];
  /** Positive links per training batch (as many random negatives are added). */
  batchSize: number;
  hidden: number;
  lr: number;
  dropout: number;
  seed: number;
  featureName?: string;
  /** Negatives ranked against each held-out positive for MRR (and pooled for AUC); default 20. */
  evalNegatives?: number;
  onEpoch?: (stats: LinkEpochStats) => void;
}

export interface LinkEpochStats {
  epoch: number;
  loss: number;
  val_auc: number;
  val_mrr: number;
  test_auc: number;
  test_mrr: number;
  seconds: number;
}

export interface LinkTrainResult {
  epochs: LinkEpochStats[];
  best: { epoch: number; val_auc: number; test_auc: number; test_mrr: number };
  model: GraphSage;
}

/**
 * Link prediction as PyG's and GraphBolt's examples do it: a GraphSAGE encoder, a dot-product decoder, binary
 * cross-entropy over each batch's positive links and as many random negatives, with the positives kept out of their
 * own neighborhoods (no label leakage). After every epoch, held-out validation and test links are ranked against
 * random negatives by their sources (AUC over all pairs, MRR per positive); the best-validation model is kept.
 */
export async function trainLinkPrediction(
  sampler: DistNeighborSampler,
  features: FeatureStore,
  links: { train: LinkPairs; val: LinkPairs; test: LinkPairs },
  options: LinkTrainOptions,
): Promise<LinkTrainResult> {
  const graph = sampler.graph;
  const ntype = Object.keys(graph.manifest.ntypes)[0];
  const featureName = options.featureName ?? 'feat';
  const spec = graph.manifest.node_features[ntype]?.find((f) => f.name === featureName);
  if (!spec) throw new FanoutError('INVALID_ARGUMENT', `the graph has no node feature "${featureName}"`);
  if (links.train.src.length === 0) throw new FanoutError('INVALID_ARGUMENT', 'no training links');
  const linkSampler = new LinkNeighborSampler(sampler);
  const model = new GraphSage({
    inputDim: spec.shape[0],
    hidden: options.hidden,
    classes: options.hidden,
    layers: options.fanouts.length,
    dropout: options.dropout,
    seed: options.seed,
  });
  const optimizer = tf.train.adam(options.lr);
  const order = Int32Array.from({ length: links.train.src.length }, (_, i) => i);
  const epochs: LinkEpochStats[] = [];
  let best = { epoch: -1, val_auc: -1, test_auc: 0, test_mrr: 0 };
  const bestWeights = new BestWeights();
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const started = performance.now();
    new Xoshiro128(options.seed + epoch, 'links/train-order').shuffle(order);
    let lossSum = 0;
    let batches = 0;
    for (let from = 0; from < order.length; from += options.batchSize) {
      const batch = order.subarray(from, from + options.batchSize);
      const src = Int32Array.from(batch, (i) => links.train.src[i]);
      const dst = Int32Array.from(batch, (i) => links.train.dst[i]);
      const out = await linkSampler.sample(
        src,
        dst,
        {
          num_neighbors: options.fanouts,
          seed: options.seed,
          neg_sampling: { mode: 'binary', amount: 1 },
          exclude_seed_edges: true,
          return_edge_id: false,
        },
        step,
      );
      const x = await features.lookup(ntype, featureName, out.internalNode);
      const pairs = out.edgeLabel!.length;
      const loss = tf.tidy(() => {
        const input = inputs(x, out.node.length, true);
        const labels = tf.tensor1d(out.edgeLabel!);
        const a = tf.tensor1d(out.edgeLabelIndex!.subarray(0, pairs), 'int32');
        const b = tf.tensor1d(out.edgeLabelIndex!.subarray(pairs), 'int32');
        const cost = optimizer.minimize(() => {
          const h = model.forward(input, toBlocks(out), true, step);
          const scores = tf.sum(tf.mul(tf.gather(h, a), tf.gather(h, b)), 1);
          return tf.losses.sigmoidCrossEntropy(labels, scores) as tf.Scalar;
        }, true);
        return cost!.dataSync()[0];
      });
      lossSum += loss;
      batches++;
      step++;
    }
    const evaluate = (pairs: LinkPairs) =>
      rank(linkSampler, features, model, pairs, options, ntype, featureName, 1_000_000 + epoch);
    const [val, test] = [await evaluate(links.val), await evaluate(links.test)];
    const stats: LinkEpochStats = {
      epoch,
      loss: lossSum / batches,
      val_auc: val.auc,
      val_mrr: val.mrr,
      test_auc: test.auc,
      test_mrr: test.mrr,
      seconds: (performance.now() - started) / 1000,
    };
    epochs.push(stats);
    options.onEpoch?.(stats);
    if (val.auc > best.val_auc) {
      best = { epoch, val_auc: val.auc, test_auc: test.auc, test_mrr: test.mrr };
      bestWeights.keep(model);
    }
  }
  bestWeights.restore(model);
  optimizer.dispose();
  return { epochs, best, model };
}

/**
 * Scores held-out links against `evalNegatives` random destinations per source (triplet negatives), with the
 * training fanouts: AUC is the chance a positive outscores a negative over all pairs, MRR the mean reciprocal rank
 * of each positive among its own negatives (ties count half).
 */
async function rank(
  linkSampler: LinkNeighborSampler,
  features: FeatureStore,
  model: GraphSage,
  pairs: LinkPairs,
  options: LinkTrainOptions,
  ntype: string,
  featureName: string,
  batchKey: number,
): Promise<{ auc: number; mrr: number }> {
  if (pairs.src.length === 0) return { auc: 0, mrr: 0 };
  const k = options.evalNegatives ?? 20;
  const positives: number[] = [];
  const negatives: number[] = [];
  let reciprocal = 0;
  const chunk = 256;
  for (let from = 0; from < pairs.src.length; from += chunk) {
    const out: LinkSamplerOutput = await linkSampler.sample(
      pairs.src.subarray(from, from + chunk),
      pairs.dst.subarray(from, from + chunk),
      {
        num_neighbors: options.fanouts,
        seed: options.seed,
        neg_sampling: { mode: 'triplet', amount: k },
        return_edge_id: false,
      },
      batchKey + from,
    );
    const x = await features.lookup(ntype, featureName, out.internalNode);
    const [pos, neg] = tf.tidy(() => {
      const h = model.forward(inputs(x, out.node.length, true), toBlocks(out), false);
      const src = tf.gather(h, tf.tensor1d(out.srcIndex!, 'int32'));
      const p = tf.sum(tf.mul(src, tf.gather(h, tf.tensor1d(out.dstPosIndex!, 'int32'))), 1);
      const negDst = tf.reshape(tf.gather(h, tf.tensor1d(out.dstNegIndex!, 'int32')), [out.srcIndex!.length, k, -1]);
      const n = tf.sum(tf.mul(tf.expandDims(src, 1), negDst), 2);
      return [p.dataSync(), n.dataSync()];
    });
    for (let i = 0; i < pos.length; i++) {
      positives.push(pos[i]);
      let above = 0;
      for (let j = 0; j < k; j++) {
        const s = neg[i * k + j];
        negatives.push(s);
        above += s > pos[i] ? 1 : s === pos[i] ? 0.5 : 0;
      }
      reciprocal += 1 / (1 + above);
    }
  }
  return { auc: auc(positives, negatives), mrr: reciprocal / positives.length };
}

/** Area under the ROC curve by ranks (Mann–Whitney U), ties averaged. */
export function auc(positives: number[], negatives: number[]): number {
  const all = [...positives.map((s) => ({ s, pos: true })), ...negatives.map((s) => ({ s, pos: false }))].sort(
    (a, b) => a.s - b.s,
  );
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j].s === all[i].s) j++;
    const average = (i + 1 + j) / 2;
    for (let q = i; q < j; q++) if (all[q].pos) rankSum += average;
    i = j;
  }
  const p = positives.length;
  return (rankSum - (p * (p + 1)) / 2) / (p * negatives.length);
}

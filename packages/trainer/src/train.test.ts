import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import {
  DistNeighborSampler,
  FeatureStore,
  InProcessInvoker,
  ingestGraph,
  isFanoutError,
  LocalStore,
  PartitionedGraph,
  partitionGraph,
} from '@fanout/core';
import * as tf from '@tensorflow/tfjs';
import { meanAggregate } from './aggregate.ts';
import { selectBackend } from './backend.ts';
import { DEFAULT_TRAIN_OPTIONS } from './defaults.ts';
import { loadGraphSage, saveGraphSage } from './model-store.ts';
import { trainGraphSage } from './train.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
let graph: PartitionedGraph;
let dir: string;

before(async () => {
  await selectBackend();
  dir = await mkdtemp(join(tmpdir(), 'fanout-train-'));
  await partitionGraph(await ingestGraph({ input: join(ROOT, 'data/cora') }), new LocalStore(dir), { numParts: 2 });
  graph = await PartitionedGraph.open(dir);
});

describe('meanAggregate', () => {
  test('value and gradient equal the mean of gathered rows', () => {
    const h = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
    const row = Int32Array.from([1, 2, 3, 0]);
    const col = Int32Array.from([0, 0, 1, 1]);
    const out = meanAggregate(h, row, col, 3);
    assert.deepEqual(Array.from(out.dataSync()), [4, 5, 4, 5, 0, 0]);
    // d(sum of outputs weighted by w)/dh: each source row receives w[col] / degree[col].
    const w = tf.tensor2d([1, 10, 100, 1000, 7, 7], [3, 2]);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(meanAggregate(x as tf.Tensor2D, row, col, 3), w)))(h);
    assert.deepEqual(Array.from(grad.dataSync()), [50, 500, 0.5, 5, 0.5, 5, 50, 500]);
  });
});

describe('trainGraphSage', () => {
  test('learns Cora: accuracies in [0, 1], the best validation model kept', async () => {
    const sampler = new DistNeighborSampler(graph, new InProcessInvoker());
    const result = await trainGraphSage(graph, sampler, new FeatureStore(graph), {
      ...DEFAULT_TRAIN_OPTIONS,
      epochs: 4,
    });
    assert.equal(result.epochs.length, 4);
    for (const e of result.epochs) for (const a of [e.train_acc, e.val_acc, e.test_acc]) assert.ok(a >= 0 && a <= 1);
    assert.ok(
      result.best.val_acc > 0.5,
      `validation accuracy ${result.best.val_acc}: far above chance (1/7) after four epochs`,
    );
    assert.equal(result.best.val_acc, Math.max(...result.epochs.map((e) => e.val_acc)));
    result.model.dispose();
  });

  test('the same seed trains the same model, whatever the prefetch depth; the epoch time is split', async () => {
    const run = async (prefetch: number) =>
      trainGraphSage(graph, new DistNeighborSampler(graph, new InProcessInvoker()), new FeatureStore(graph), {
        ...DEFAULT_TRAIN_OPTIONS,
        epochs: 2,
        hidden: 16,
        seed: 5,
        prefetch,
      });
    const [a, b] = [await run(2), await run(0)];
    assert.deepEqual(
      a.epochs.map((e) => e.loss),
      b.epochs.map((e) => e.loss),
    );
    for (const [name, w] of Object.entries(a.model.namedWeights())) {
      assert.deepEqual(Array.from(w.dataSync()), Array.from(b.model.namedWeights()[name].dataSync()), name);
    }
    for (const e of a.epochs) {
      for (const part of [e.sample_s, e.fetch_s, e.train_s, e.wait_s]) assert.ok(part >= 0);
      assert.ok(e.train_s + e.wait_s <= e.seconds);
    }
    a.model.dispose();
    b.model.dispose();
  });

  test('a model saved to the object store loads with the same weights and predictions', async () => {
    const result = await trainGraphSage(
      graph,
      new DistNeighborSampler(graph, new InProcessInvoker()),
      new FeatureStore(graph),
      { ...DEFAULT_TRAIN_OPTIONS, epochs: 1, hidden: 8 },
    );
    const where = join(await mkdtemp(join(tmpdir(), 'fanout-model-')), 'models', 'cora');
    await saveGraphSage(result.model, where);
    const loaded = await loadGraphSage(where);
    assert.deepEqual(loaded.options, result.model.options);
    const x = tf.randomUniform([5, result.model.options.inputDim], 0, 1, 'float32', 3) as tf.Tensor2D;
    const blocks = [
      { numSrcNodes: 5, numDstNodes: 3, row: Int32Array.from([3, 4]), col: Int32Array.from([0, 2]) },
      { numSrcNodes: 3, numDstNodes: 2, row: Int32Array.from([2]), col: Int32Array.from([1]) },
    ];
    assert.deepEqual(
      Array.from(loaded.forward(x, blocks, false).dataSync()),
      Array.from(result.model.forward(x, blocks, false).dataSync()),
    );
    await assert.rejects(loadGraphSage(join(where, 'nope')), (e) => isFanoutError(e, 'NOT_FOUND'));
    result.model.dispose();
    loaded.dispose();
  });

  test('fanout train --json prints one object per epoch, then the summary', async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        join(ROOT, 'node_modules/.bin/fanout'),
        ['train', '--graph', dir, '--epochs', '2', '--hidden', '16', '--json'],
        (error, out, err) => (error ? reject(new Error(err)) : resolve(out)),
      ),
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    assert.deepEqual(Object.keys(lines[0]).sort(), [
      'batches_per_s',
      'epoch',
      'fetch_s',
      'loss',
      'sample_s',
      'seconds',
      'test_acc',
      'train_acc',
      'train_s',
      'val_acc',
      'wait_s',
    ]);
    assert.equal(lines[2].summary, true);
    for (const key of ['best_epoch', 'val_acc', 'test_acc']) assert.equal(typeof lines[2][key], 'number');
  });
});

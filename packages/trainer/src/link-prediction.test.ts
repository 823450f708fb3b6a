import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  createInvoker,
  DistNeighborSampler,
  FeatureStore,
  ingestGraph,
  LocalStore,
  PartitionedGraph,
  partitionGraph,
  splitEdges,
} from '@fanout/core';
import { selectBackend } from './backend.ts';
import { DEFAULT_LINK_OPTIONS } from './defaults.ts';
import { auc, trainLinkPrediction } from './link-prediction.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

describe('link prediction', () => {
  test('the edge split holds links out of the structure in both directions, and covers every pair once', async () => {
    const cora = await ingestGraph({ input: join(ROOT, 'data/cora') });
    const split = splitEdges(cora, { val: 0.05, test: 0.1, seed: 1 });
    const key = (u: number, v: number) => (u < v ? `${u}-${v}` : `${v}-${u}`);
    const structure = new Set<string>();
    const { src, dst } = split.train.etypes[0].edges;
    for (let e = 0; e < src.length; e++) structure.add(key(src[e], dst[e]));
    for (const held of [split.val, split.test]) {
      for (let i = 0; i < held.src.length; i++) assert.ok(!structure.has(key(held.src[i], held.dst[i])));
    }
    const total = split.trainLinks.src.length + split.val.src.length + split.test.src.length;
    assert.equal(total, 5278); // Cora's distinct undirected links
    assert.equal(split.test.src.length, Math.floor(0.1 * 5278));
    assert.equal(structure.size, split.trainLinks.src.length);
  });

  test('AUC by ranks', () => {
    assert.equal(auc([3, 4], [1, 2]), 1);
    assert.equal(auc([1], [2]), 0);
    assert.equal(auc([1, 3], [2, 2]), 0.5);
    assert.equal(auc([2], [2]), 0.5);
  });

  test('trains a GraphSAGE link predictor: scores in range, the best-validation model kept', async () => {
    await selectBackend();
    const cora = await ingestGraph({ input: join(ROOT, 'data/cora') });
    const split = splitEdges(cora, { val: 0.01, test: 0.01, seed: 2 });
    const dir = await mkdtemp(join(tmpdir(), 'fanout-links-'));
    await partitionGraph(split.train, new LocalStore(dir), { numParts: 2, method: 'random' });
    const graph = await PartitionedGraph.open(dir);
    const few = (pairs: { src: Int32Array; dst: Int32Array }, n: number) => ({
      src: pairs.src.subarray(0, n),
      dst: pairs.dst.subarray(0, n),
    });
    const result = await trainLinkPrediction(
      new DistNeighborSampler(graph, createInvoker(graph, 'inprocess')),
      new FeatureStore(graph),
      { train: few(split.trainLinks, 128), val: few(split.val, 20), test: few(split.test, 20) },
      { ...DEFAULT_LINK_OPTIONS, epochs: 2, batchSize: 64, hidden: 16, fanouts: [3, 3], evalNegatives: 5 },
    );
    assert.equal(result.epochs.length, 2);
    for (const e of result.epochs) {
      for (const v of [e.val_auc, e.test_auc, e.val_mrr, e.test_mrr]) assert.ok(v >= 0 && v <= 1);
      assert.ok(Number.isFinite(e.loss));
    }
    assert.equal(result.best.val_auc, Math.max(...result.epochs.map((e) => e.val_auc)));
    result.model.dispose();
  });
});

import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { FeatureStore } from '../features/index.ts';
import { PartitionedGraph } from '../format/index.ts';
import type { GraphData } from '../graph/index.ts';
import { ingestGraph } from '../ingest/index.ts';
import { partitionGraph } from '../partition/index.ts';
import { DistNeighborSampler } from '../sampling/index.ts';
import { LocalStore } from '../storage/index.ts';
import { InProcessInvoker } from '../transport/index.ts';
import { ItemSampler } from './item-sampler.ts';
import { type MiniBatch, maskedNodes, NeighborLoader } from './neighbor-loader.ts';

const CORA = new URL('../../../../data/cora', import.meta.url).pathname;
let cora: GraphData;
let graph: PartitionedGraph;

before(async () => {
  cora = await ingestGraph({ input: CORA });
  const dir = await mkdtemp(join(tmpdir(), 'fanout-loader-'));
  await partitionGraph(cora, new LocalStore(dir), { numParts: 3, seed: 2 });
  graph = await PartitionedGraph.open(dir);
});

describe('ItemSampler', () => {
  test('every item once per epoch, shuffled per epoch, batch keys running across epochs', () => {
    const items = Int32Array.from({ length: 10 }, (_, i) => 100 + i);
    const sampler = new ItemSampler(items, { batchSize: 4, shuffle: true, seed: 5 });
    assert.equal(sampler.batchesPerEpoch, 3);
    const epoch0 = [...sampler.epoch(0)];
    const epoch1 = [...sampler.epoch(1)];
    for (const epoch of [epoch0, epoch1]) assert.deepEqual(epoch.flatMap((b) => [...b.seeds]).sort(), [...items]);
    assert.deepEqual(
      epoch0.map((b) => b.batchKey),
      [0, 1, 2],
    );
    assert.deepEqual(
      epoch1.map((b) => b.batchKey),
      [3, 4, 5],
    );
    assert.notDeepEqual(
      epoch0.flatMap((b) => [...b.seeds]),
      epoch1.flatMap((b) => [...b.seeds]),
    );
    assert.deepEqual(
      [...sampler.epoch(1)].map((b) => [...b.seeds]),
      epoch1.map((b) => [...b.seeds]),
      'an epoch replays alone',
    );
    const dropped = new ItemSampler(items, { batchSize: 4, dropLast: true });
    assert.deepEqual(
      [...dropped.epoch(0)].map((b) => b.seeds.length),
      [4, 4],
    );
    assert.deepEqual(
      [...new ItemSampler(items, { batchSize: 4 }).epoch(0)].map((b) => [...b.seeds]),
      [
        [100, 101, 102, 103],
        [104, 105, 106, 107],
        [108, 109],
      ],
    );
  });
});

describe('NeighborLoader', () => {
  const plain = (b: MiniBatch) => ({
    key: b.batchKey,
    seeds: [...b.seeds],
    node: [...b.sample.node],
    row: [...b.sample.row],
    features: b.features ? Array.from(b.features.data) : undefined,
    labels: b.labels ? [...b.labels] : undefined,
  });

  test('yields every training node exactly once per epoch, with features and labels that match the input', async () => {
    const train = await maskedNodes(graph, 'train_mask');
    assert.equal(train.length, 140);
    const sampler = new DistNeighborSampler(graph, new InProcessInvoker());
    const loader = new NeighborLoader(
      graph,
      sampler,
      train,
      { batchSize: 32, shuffle: true, seed: 3, num_neighbors: [5, 5], featureName: 'feat', labels: true },
      new FeatureStore(graph),
    );
    const feat = cora.ntypes[0].features.get('feat')!;
    for (const epoch of [0, 1]) {
      const seen: number[] = [];
      for await (const batch of loader.epoch(epoch)) {
        seen.push(...batch.seeds);
        assert.deepEqual([...batch.sample.node.subarray(0, batch.seeds.length)], [...batch.seeds]);
        assert.equal(batch.features!.data.length, batch.sample.node.length * 1433);
        const last = batch.sample.node.length - 1;
        const orig = batch.sample.node[last];
        assert.deepEqual(
          batch.features!.data.subarray(last * 1433),
          feat.data.subarray(orig * 1433, (orig + 1) * 1433),
        );
        assert.deepEqual(
          [...batch.labels!],
          [...batch.seeds].map((s) => cora.ntypes[0].label![s]),
        );
      }
      assert.deepEqual(
        seen.sort((a, b) => a - b),
        [...train],
      );
    }
  });

  test('prefetching changes no result', async () => {
    const train = await maskedNodes(graph, 'train_mask');
    const runs = [];
    for (const prefetch of [0, 1, 4]) {
      const sampler = new DistNeighborSampler(graph, new InProcessInvoker());
      const loader = new NeighborLoader(
        graph,
        sampler,
        train,
        { batchSize: 40, shuffle: true, seed: 8, num_neighbors: [4, 3], featureName: 'feat', prefetch },
        new FeatureStore(graph),
      );
      const batches = [];
      for await (const b of loader.epoch(2)) batches.push(plain(b));
      runs.push(batches);
    }
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[2], runs[0]);
  });
});

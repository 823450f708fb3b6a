import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import { PartitionedGraph } from '../format/index.ts';
import type { GraphData } from '../graph/index.ts';
import { ingestGraph } from '../ingest/index.ts';
import { partitionGraph } from '../partition/index.ts';
import { LocalStore } from '../storage/index.ts';
import { FeatureStore } from './feature-store.ts';

const CORA = new URL('../../../../data/cora', import.meta.url).pathname;
const ROWS_PER_PAGE = 200;
let cora: GraphData;
let graph: PartitionedGraph;

before(async () => {
  cora = await ingestGraph({ input: CORA });
  const dir = await mkdtemp(join(tmpdir(), 'fanout-features-'));
  // Small pages, so every partition has several.
  await partitionGraph(cora, new LocalStore(dir), { numParts: 3, rowsPerBatch: ROWS_PER_PAGE, seed: 1 });
  graph = await PartitionedGraph.open(dir);
});

function randomIds(count: number, max: number, seed: number): Int32Array {
  let x = seed;
  return Int32Array.from({ length: count }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % max;
  });
}

describe('FeatureStore', () => {
  test('lookups equal the input rows, for original and internal IDs across partitions', async () => {
    const store = new FeatureStore(graph);
    const feat = cora.ntypes[0].features.get('feat')!;
    for (const seed of [1, 2, 3]) {
      const ids = randomIds(500, 2708, seed);
      const rows = await store.lookupOriginal('_N', 'feat', ids);
      assert.equal(rows.dim, 1433);
      for (let i = 0; i < ids.length; i++) {
        assert.deepEqual(
          rows.data.subarray(i * 1433, (i + 1) * 1433),
          feat.data.subarray(ids[i] * 1433, (ids[i] + 1) * 1433),
          `node ${ids[i]}`,
        );
      }
    }
    const { internalOfOrig } = await graph.readIdMaps('_N');
    const ids = randomIds(300, 2708, 9);
    const internal = Int32Array.from(ids, (o) => internalOfOrig[o]);
    const labels = await store.labels('_N', internal);
    assert.deepEqual(
      [...labels],
      [...ids].map((o) => cora.ntypes[0].label![o]),
    );
    const again = await store.lookup('_N', 'feat', internal);
    assert.deepEqual(again.data, (await store.lookupOriginal('_N', 'feat', ids)).data);
  });

  test('pages are fetched once, adjacent pages in one request, then served from the cache', async () => {
    const store = new FeatureStore(graph, { pinnedPagesPerPart: 0 });
    const [start, end] = graph.manifest.node_map._N[0];
    const wholePart = Int32Array.from({ length: end - start }, (_, i) => start + i);
    await store.lookup('_N', 'feat', wholePart);
    const first = store.stats();
    assert.equal(first.requests, 1, 'every page of the partition in one ranged GET');
    assert.equal(first.misses, wholePart.length);
    assert.equal(
      first.bytesFetched,
      graph.manifest.parts[0].node_feats._N.batches.reduce((n, b) => n + b.length, 0),
    );
    await store.lookup('_N', 'feat', wholePart);
    const second = store.stats();
    assert.equal(second.requests, 1, 'no new request');
    assert.equal(second.hits, wholePart.length);
  });

  test('the byte budget holds; pinned hot pages stay', async () => {
    const pageBytes = graph.manifest.parts[0].node_feats._N.batches[0].length;
    const budget = 3 * pageBytes;
    const store = new FeatureStore(graph, { cacheBytes: budget, pinnedPagesPerPart: 0 });
    for (const seed of [4, 5, 6, 7]) {
      await store.lookupOriginal('_N', 'feat', randomIds(400, 2708, seed));
      assert.ok(store.stats().cachedBytes <= budget, `cached ${store.stats().cachedBytes} > budget ${budget}`);
    }
    const pinned = new FeatureStore(graph, { cacheBytes: 0, pinnedPagesPerPart: 1 });
    const hot = Int32Array.from(graph.manifest.node_map._N, ([s]) => s); // the first (hottest) node of each part
    await pinned.lookup('_N', 'feat', hot);
    await pinned.lookup('_N', 'feat', hot);
    assert.equal(pinned.stats().hits, hot.length, 'pinned pages survive a zero budget');
  });

  test('concurrent lookups through a cache smaller than either stay exact (pages evicted meanwhile are refetched)', async () => {
    const store = new FeatureStore(graph, { cacheBytes: 1, pinnedPagesPerPart: 0 });
    const feat = cora.ntypes[0].features.get('feat')!;
    const batches = [1, 2, 3, 4].map((seed) => randomIds(400, 2708, seed));
    const results = await Promise.all(batches.map((ids) => store.lookupOriginal('_N', 'feat', ids)));
    results.forEach((rows, b) => {
      for (let i = 0; i < batches[b].length; i++) {
        const id = batches[b][i];
        assert.deepEqual(rows.data.subarray(i * 1433, (i + 1) * 1433), feat.data.subarray(id * 1433, (id + 1) * 1433));
      }
    });
    assert.equal(store.stats().cachedBytes, 0);
  });

  test("lookups into a FeatureBuffer (the store's own memory) give the same rows, also while pages load", async () => {
    const store = new FeatureStore(graph, { cacheBytes: 4 * 2 ** 20 });
    const { internalOfOrig } = await graph.readIdMaps('_N');
    const buffer = store.buffer(800 * 1433);
    for (const seed of [4, 5, 6]) {
      // A cold store: the lookup fetches pages (the memory grows) before it gathers into the buffer.
      const ids = Int32Array.from(randomIds(800, 2708, seed), (o) => internalOfOrig[o]);
      const rows = await store.lookup('_N', 'feat', ids, buffer);
      assert.equal(rows.data.length, 800 * 1433);
      assert.deepEqual(rows.data, (await new FeatureStore(graph).lookup('_N', 'feat', ids)).data);
    }
    await assert.rejects(
      store.lookup('_N', 'feat', new Int32Array(801), buffer),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /holds 1146400 values; 1147833 are needed/.test(e.message),
    );
    buffer.release();
    assert.throws(
      () => store.buffer(0),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
    );
  });

  test('unknown nodes and columns are typed errors', async () => {
    const store = new FeatureStore(graph);
    await assert.rejects(store.lookupOriginal('_N', 'feat', [2708]), (e) => isFanoutError(e, 'UNKNOWN_NODE'));
    await assert.rejects(store.lookup('_N', 'feat', Int32Array.from([-1])), (e) => isFanoutError(e, 'UNKNOWN_NODE'));
    await assert.rejects(
      store.lookup('_N', 'nope', Int32Array.from([0])),
      (e) => isFanoutError(e, 'NOT_FOUND') && /has feat, label/.test(e.message),
    );
    await assert.rejects(store.lookup('_N', 'label', Int32Array.from([0])), (e) =>
      isFanoutError(e, 'INVALID_ARGUMENT'),
    );
    await assert.rejects(store.lookup('paper', 'feat', Int32Array.from([0])), (e) => isFanoutError(e, 'NOT_FOUND'));
  });
});

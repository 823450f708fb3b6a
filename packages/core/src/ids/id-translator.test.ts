import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import { PartitionedGraph } from '../format/index.ts';
import { partitionGraph } from '../partition/index.ts';
import { LocalStore } from '../storage/index.ts';
import { graphFromArcs, randomArcs } from '../testing/small-graphs.ts';
import { IdTranslator } from './id-translator.ts';

const NUM_NODES = 1000;
let dir: string;
let graph: PartitionedGraph;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-ids-'));
  const { src, dst } = randomArcs(5000, NUM_NODES, 7);
  // Four parts relabel the nodes; 64-row record batches give the map 16 of them, fetched as they are needed.
  await partitionGraph(graphFromArcs(src, dst, NUM_NODES), new LocalStore(dir), { numParts: 4, rowsPerBatch: 64 });
  graph = await PartitionedGraph.open(dir);
});
after(() => rm(dir, { recursive: true, force: true }));

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

test('translation is a bijection, the same while the map is partly cached and once it is whole', async () => {
  const partial = new IdTranslator(graph, '_N');
  // Batches 1 and 3 only, then everything: the last fetch turns the map into one flat array.
  const some = [70, 200, 65, 199];
  const internalOfSome = await partial.toInternal(some);
  assert.deepEqual([...(await partial.toOriginal(internalOfSome))], some);

  const internal = await partial.toInternal(range(0, NUM_NODES));
  assert.deepEqual(
    [...internal].sort((a, b) => a - b),
    range(0, NUM_NODES),
  );
  assert.deepEqual([...(await partial.toOriginal(internal))], range(0, NUM_NODES));
  assert.deepEqual([...(await partial.toInternal(some))], [...internalOfSome]);

  // A fresh translator that fetches the whole map in one go agrees.
  const whole = new IdTranslator(graph, '_N');
  assert.deepEqual(
    [...(await whole.toOriginal(range(0, NUM_NODES)))],
    [...(await partial.toOriginal(range(0, NUM_NODES)))],
  );
  assert.deepEqual([...(await whole.toInternal(some))], [...internalOfSome]);
});

test('concurrent translations that fetch the same batches agree', async () => {
  const t = new IdTranslator(graph, '_N');
  const [a, b] = await Promise.all([t.toInternal(range(0, 500)), t.toInternal(range(0, NUM_NODES))]);
  assert.deepEqual([...a], [...b.subarray(0, 500)]);
  assert.deepEqual([...(await t.toOriginal(b))], range(0, NUM_NODES));
});

test('an ID outside the graph is an UNKNOWN_NODE error, whole map cached or not', async () => {
  const t = new IdTranslator(graph, '_N');
  for (const bad of [NUM_NODES, -1, 1.5]) {
    await assert.rejects(
      t.toInternal([3, bad]),
      (e) => isFanoutError(e, 'UNKNOWN_NODE') && e.message.includes(String(bad)),
    );
  }
  await t.toInternal(range(0, NUM_NODES));
  await assert.rejects(t.toInternal([NUM_NODES]), (e) => isFanoutError(e, 'UNKNOWN_NODE'));
});

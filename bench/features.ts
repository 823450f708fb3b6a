import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createInvoker,
  DistNeighborSampler,
  FeatureStore,
  ingestGraph,
  LocalStore,
  PartitionedGraph,
  partitionGraph,
  randomSeedBatches,
} from '@fanout/core';
import { egoTwitterPath, median, WORK } from './child.ts';
import { buildReference, runReference } from './reference.ts';

const DIM = 128;
const FANOUTS = [15, 10, 5];
const BATCHES = 100;

/**
 * ego-Twitter (4 parts) with a 128-wide float32 feature (row i holds i mod 1000, as the reference fills its own),
 * made once and kept in .fanout/bench.
 */
async function graphWithFeatures(): Promise<string> {
  const dir = join(WORK, 'ego-twitter-feat128-4parts');
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  const graph = await ingestGraph({ input: egoTwitterPath(), undirected: true, name: 'ego-twitter-feat128' });
  const ntype = graph.ntypes[0];
  const data = new Float32Array(ntype.numNodes * DIM);
  for (let i = 0; i < data.length; i++) data[i] = i % 1000;
  ntype.features.set('feat', { dim: DIM, data });
  await partitionGraph(graph, new LocalStore(dir), { numParts: 4 });
  return dir;
}

/**
 * Warm-cache feature gathers beside the C++ reference's (memcpy of 128 float32 per row, the same batches' nodes,
 * in the same run): the FeatureStore with every page cached, and a bare typed-array gather from one in-memory array
 * as the JavaScript yardstick. Rounds alternate the contenders; medians and ratios are reported.
 */
export async function featuresBench(options: { rounds: number }) {
  const haveReference = await buildReference();
  const graph = await PartitionedGraph.open(await graphWithFeatures());
  const sampler = new DistNeighborSampler(graph, createInvoker(graph, 'inprocess'));
  const numNodes = graph.manifest.num_nodes;
  const nodeLists: Int32Array[] = [];
  const batches = randomSeedBatches(numNodes, 1024, BATCHES, 1);
  for (let b = 0; b < batches.length; b++) {
    nodeLists.push((await sampler.sample(batches[b], { num_neighbors: FANOUTS }, b)).internalNode);
  }
  const rows = nodeLists.reduce((n, l) => n + l.length, 0);
  const bytes = rows * DIM * 4;

  const store = new FeatureStore(graph, { cacheBytes: 4 * 2 ** 30 });
  for (const ids of nodeLists) await store.lookup('_N', 'feat', ids); // warm: every page cached
  const all = (
    await store.lookup(
      '_N',
      'feat',
      Int32Array.from({ length: numNodes }, (_, i) => i),
    )
  ).data;
  const out = new Float32Array(Math.max(...nodeLists.map((l) => l.length)) * DIM);
  const buffer = store.buffer(out.length);

  const contenders: Record<string, () => Promise<number>> = {
    "FeatureStore.lookup (warm cache, into a reused FeatureBuffer in the store's memory)": async () => {
      const t0 = performance.now();
      for (const ids of nodeLists) await store.lookup('_N', 'feat', ids, buffer);
      return bytes / ((performance.now() - t0) / 1e3);
    },
    'FeatureStore.lookup (warm cache, into a reused array as the reference does)': async () => {
      const t0 = performance.now();
      for (const ids of nodeLists) await store.lookup('_N', 'feat', ids, out);
      return bytes / ((performance.now() - t0) / 1e3);
    },
    'FeatureStore.lookup (warm cache, a new array per batch)': async () => {
      const t0 = performance.now();
      for (const ids of nodeLists) await store.lookup('_N', 'feat', ids);
      return bytes / ((performance.now() - t0) / 1e3);
    },
    'bare typed-array gather (one in-memory array)': async () => {
      const t0 = performance.now();
      for (const ids of nodeLists) {
        for (let i = 0; i < ids.length; i++) out.set(all.subarray(ids[i] * DIM, ids[i] * DIM + DIM), i * DIM);
      }
      return bytes / ((performance.now() - t0) / 1e3);
    },
  };
  if (haveReference) {
    contenders['C++ reference (memcpy per row)'] = async () =>
      (await runReference(egoTwitterPath(), BATCHES, FANOUTS.join(','), DIM)).gather_bytes_per_s!;
  }
  const runs = new Map<string, number[]>();
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, run] of Object.entries(contenders)) {
      const rate = await run();
      runs.set(name, [...(runs.get(name) ?? []), rate]);
      process.stderr.write(`  features, round ${round + 1}: ${name}: ${(rate / 1e9).toFixed(2)} GB/s\n`);
    }
  }
  const medians = Object.fromEntries([...runs].map(([name, r]) => [name, median(r)]));
  const reference = medians['C++ reference (memcpy per row)'];
  return {
    graph: 'ego-twitter (4 parts), 128 float32 per node',
    batches: BATCHES,
    rows_per_batch: rows / BATCHES,
    gather_bytes_per_s_median: medians,
    ratio_to_reference: reference
      ? Object.fromEntries(Object.entries(medians).map(([name, v]) => [name, v / reference]))
      : undefined,
    target: { feature_store_vs_reference: 0.5 },
    cache: store.stats(),
  };
}

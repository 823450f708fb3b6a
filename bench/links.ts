import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  createInvoker,
  DistNeighborSampler,
  FeatureStore,
  ingestGraph,
  LinkNeighborSampler,
  LocalStore,
  PartitionedGraph,
  partitionGraph,
  splitEdges,
  Xoshiro128,
} from '@fanout/core';
import { DEFAULT_LINK_OPTIONS, selectBackend, trainLinkPrediction } from '@fanout/trainer';
import { egoTwitterPath, median, ROOT, runFanout, WORK } from './child.ts';

/**
 * Link-level sampling throughput on ego-Twitter (4 parts): batches of 1024 existing links plus as many binary
 * negatives, fanouts 15,10,5, seed edges excluded; and GraphSAGE link prediction on Cora with 5 % of the links held
 * out for validation and 10 % for testing (test AUC and MRR against 20 random destinations per source).
 */
export async function linksBench(options: { rounds: number; epochs: number }) {
  const twitter = join(WORK, 'ego-twitter-4parts');
  if (!existsSync(join(twitter, 'manifest.json'))) {
    await runFanout(['partition', '--input', egoTwitterPath(), '--undirected', '--parts', '4', '--out', twitter, '-q']);
  }
  const graph = await PartitionedGraph.open(twitter);
  const { src, dst } = await graph.readGraph(0, '_N:_E:_N').then(async (csc) => {
    // Existing links: the in-edges of partition 0's first rows, in original IDs.
    const rows = 2000;
    const dstInternal: number[] = [];
    const srcInternal: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let j = csc.indptr[r]; j < csc.indptr[r + 1]; j++) {
        dstInternal.push(graph.manifest.node_map._N[0][0] + r);
        srcInternal.push(csc.nbr[j]);
      }
    }
    const { origOfInternal } = await graph.readIdMaps('_N');
    return {
      src: Int32Array.from(srcInternal, (v) => origOfInternal[v]),
      dst: Int32Array.from(dstInternal, (v) => origOfInternal[v]),
    };
  });
  const order = Int32Array.from({ length: src.length }, (_, i) => i);
  new Xoshiro128(1, 'bench-links').shuffle(order);
  const sampler = new LinkNeighborSampler(new DistNeighborSampler(graph, createInvoker(graph, 'inprocess')));
  const batches = Math.min(20, Math.floor(order.length / 1024));
  const rates: number[] = [];
  let edgesPerBatch = 0;
  for (let round = 0; round < options.rounds; round++) {
    const started = performance.now();
    let edges = 0;
    for (let b = 0; b < batches; b++) {
      const batch = order.subarray(b * 1024, (b + 1) * 1024);
      const out = await sampler.sample(
        Int32Array.from(batch, (i) => src[i]),
        Int32Array.from(batch, (i) => dst[i]),
        { num_neighbors: [15, 10, 5], neg_sampling: { mode: 'binary', amount: 1 }, exclude_seed_edges: true },
        b,
      );
      edges += out.row.length;
    }
    rates.push(edges / ((performance.now() - started) / 1000));
    edgesPerBatch = edges / batches;
    process.stderr.write(`  links, round ${round + 1}: ${(rates[round] / 1e6).toFixed(2)} M sampled edges/s\n`);
  }

  await selectBackend();
  const cora = await ingestGraph({ input: join(ROOT, 'data/cora') });
  const split = splitEdges(cora, { val: 0.05, test: 0.1, seed: 0 });
  const dir = join(WORK, 'cora-link-split-2parts');
  if (!existsSync(join(dir, 'manifest.json'))) await partitionGraph(split.train, new LocalStore(dir), { numParts: 2 });
  const coraGraph = await PartitionedGraph.open(dir);
  const started = performance.now();
  const result = await trainLinkPrediction(
    new DistNeighborSampler(coraGraph, createInvoker(coraGraph, 'inprocess')),
    new FeatureStore(coraGraph),
    { train: split.trainLinks, val: split.val, test: split.test },
    {
      ...DEFAULT_LINK_OPTIONS,
      epochs: options.epochs,
      onEpoch: (s) =>
        process.stderr.write(`  cora link prediction, epoch ${s.epoch}: test AUC ${s.test_auc.toFixed(3)}\n`),
    },
  );
  result.model.dispose();
  return {
    link_sampling: {
      graph: 'ego-twitter (4 parts)',
      positives_per_batch: 1024,
      negatives: 'binary, 1 per positive',
      fanouts: [15, 10, 5],
      exclude_seed_edges: true,
      edges_per_batch: Math.round(edgesPerBatch),
      sampled_edges_per_s_median: median(rates),
    },
    link_prediction: {
      dataset: 'cora (links: 85 % train, 5 % val, 10 % test; 2 parts)',
      epochs: options.epochs,
      best: result.best,
      seconds: (performance.now() - started) / 1000,
      target_test_auc: 0.9,
      per_epoch: result.epochs,
    },
  };
}

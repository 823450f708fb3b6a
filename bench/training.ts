import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInvoker, DistNeighborSampler, FeatureStore, NeighborLoader, PartitionedGraph } from '@fanout/core';
import { median, ROOT, runFanout, SHARED, WORK } from './child.ts';

interface Summary {
  best_epoch: number;
  val_acc: number;
  test_acc: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/**
 * GraphSAGE accuracy with the default recipe, mean ± std over seeds, on the Planetoid splits of Cora (shipped) and
 * CiteSeer (from ../shared when present), each partitioned into 4 parts; plus training throughput and wall time.
 */
export async function trainingBench(options: { seeds: number }) {
  const datasets = [{ name: 'cora', input: join(ROOT, 'data/cora') }];
  if (existsSync(join(SHARED, 'datasets/citeseer')))
    datasets.push({ name: 'citeseer', input: join(SHARED, 'datasets/citeseer') });
  const results = [];
  for (const d of datasets) {
    const graph = join(WORK, `${d.name}-4parts`);
    if (!existsSync(join(graph, 'manifest.json')))
      await runFanout(['partition', '--input', d.input, '--parts', '4', '--out', graph, '-q']);
    const runs = [];
    for (let seed = 0; seed < options.seeds; seed++) {
      const started = performance.now();
      const lines = (await runFanout(['train', '--graph', graph, '--seed', String(seed), '--json']))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const summary = lines.pop() as Summary;
      const batchesPerS = lines.map((l) => l.batches_per_s as number);
      runs.push({
        seed,
        ...summary,
        seconds: (performance.now() - started) / 1000,
        batches_per_s_median: batchesPerS.sort((a, b) => a - b)[batchesPerS.length >> 1],
      });
      process.stderr.write(
        `  ${d.name} seed ${seed}: test ${summary.test_acc.toFixed(3)} (val ${summary.val_acc.toFixed(3)}, epoch ${summary.best_epoch})\n`,
      );
    }
    const tests = runs.map((r) => r.test_acc);
    results.push({
      dataset: d.name,
      seeds: options.seeds,
      test_acc_mean: mean(tests),
      test_acc_std: std(tests),
      val_acc_mean: mean(runs.map((r) => r.val_acc)),
      seconds_mean: mean(runs.map((r) => r.seconds)),
      targets: { cora: 0.79, citeseer: 0.68 },
      runs,
    });
  }
  return results;
}

/**
 * The loader on its own (every Cora node as an item, batch 64, fanouts 10,10, features and labels fetched) with and
 * without prefetching, in-process and with two worker functions; and where a training epoch's time goes (sampling,
 * fetching, training steps, and the steps' wait for the loader) with and without prefetching.
 */
export async function loaderBench(options: { rounds: number }) {
  const graphDir = join(WORK, 'cora-4parts');
  if (!existsSync(join(graphDir, 'manifest.json')))
    await runFanout(['partition', '--input', join(ROOT, 'data/cora'), '--parts', '4', '--out', graphDir, '-q']);
  const graph = await PartitionedGraph.open(graphDir);
  const items = Int32Array.from({ length: graph.manifest.num_nodes }, (_, i) => i);
  const loaderRuns: Record<string, number[]> = {};
  for (let round = 0; round < options.rounds; round++) {
    for (const transport of ['inprocess', 'workers'] as const) {
      for (const prefetch of [0, 2, 4]) {
        const invoker = createInvoker(graph, transport, { workers: 2 });
        const loader = new NeighborLoader(
          graph,
          new DistNeighborSampler(graph, invoker),
          items,
          { batchSize: 64, num_neighbors: [10, 10], featureName: 'feat', labels: true, prefetch },
          new FeatureStore(graph),
        );
        for await (const _ of loader.epoch(0)); // warm: partitions, pages and workers loaded
        const started = performance.now();
        let batches = 0;
        for await (const _ of loader.epoch(1)) batches++;
        const rate = batches / ((performance.now() - started) / 1000);
        await invoker.close();
        const name = `${transport}, prefetch ${prefetch}`;
        loaderRuns[name] = [...(loaderRuns[name] ?? []), rate];
        process.stderr.write(`  loader, round ${round + 1}: ${name}: ${rate.toFixed(1)} batches/s\n`);
      }
    }
  }
  const epochSplit: Record<string, unknown> = {};
  for (const transport of ['inprocess', 'workers']) {
    for (const prefetch of [0, 2]) {
      const lines = (
        await runFanout([
          'train',
          '--graph',
          graphDir,
          '--epochs',
          '4',
          '--transport',
          transport,
          '--workers',
          '2',
          '--prefetch',
          String(prefetch),
          '--json',
        ])
      )
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      lines.pop();
      const med = (key: string) => median(lines.map((l) => l[key] as number));
      epochSplit[`${transport}, prefetch ${prefetch}`] = {
        seconds: med('seconds'),
        batches_per_s: med('batches_per_s'),
        sample_s: med('sample_s'),
        fetch_s: med('fetch_s'),
        train_s: med('train_s'),
        wait_s: med('wait_s'),
      };
    }
  }
  return {
    dataset: 'cora (4 parts)',
    loader_batches_per_s_median: Object.fromEntries(Object.entries(loaderRuns).map(([k, v]) => [k, median(v)])),
    epoch_split_median_over_epochs: epochSplit,
  };
}

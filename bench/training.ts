import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runFanout, SHARED, WORK } from './child.ts';

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

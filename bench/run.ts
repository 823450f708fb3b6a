/**
 * `npm run bench [-- --quick] [-- --no-large] [-- SUITE…]`: runs the benchmark suites and prints one JSON document on
 * stdout (progress on stderr). `--quick` skips the large generated graph and repeats once; `--no-large` only skips it.
 */
import os from 'node:os';
import { featuresBench } from './features.ts';
import { linksBench } from './links.ts';
import { loadBench } from './load.ts';
import { partitionBench } from './partition.ts';
import { partitionerBench } from './partitioner.ts';
import { samplingBench } from './sampling.ts';
import { serverlessBench } from './serverless.ts';
import { loaderBench, trainingBench } from './training.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
/** Skips the generated 2M-node graph (minutes per suite) while keeping the repeats. */
const large = !quick && !args.includes('--no-large');
const wanted = args.filter((a) => !a.startsWith('--'));
const suites: Record<string, () => Promise<unknown>> = {
  partition: () => partitionBench({ repeats: quick ? 1 : 3, large }),
  sampling: () => samplingBench({ rounds: quick ? 1 : 5, large }),
  partitioner: () => partitionerBench({ repeats: quick ? 1 : 3, large }),
  features: () => featuresBench({ rounds: quick ? 1 : 5 }),
  training: () => trainingBench({ seeds: quick ? 1 : 5 }),
  loader: () => loaderBench({ rounds: quick ? 1 : 3 }),
  links: () => linksBench({ rounds: quick ? 1 : 3, epochs: quick ? 1 : 5 }),
  serverless: () => serverlessBench({ batches: quick ? 10 : 50 }),
  load: () => loadBench({ seconds: quick ? 10 : 60 }),
};
const unknown = wanted.filter((w) => !(w in suites));
if (unknown.length) {
  process.stderr.write(`unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(suites).join(', ')}\n`);
  process.exit(2);
}
const results: Record<string, unknown> = {};
for (const name of wanted.length ? wanted : Object.keys(suites)) {
  process.stderr.write(`bench ${name}\n`);
  results[name] = await suites[name]();
}
const machine = {
  node: process.version,
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
  memory_bytes: os.totalmem(),
};
process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`);

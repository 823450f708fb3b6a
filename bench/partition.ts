import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { egoTwitterPath, generatedLargeGraph, median, runJob, WORK } from './child.ts';

interface JobResult {
  arcs: number;
  wall_s: number;
  arcs_per_s: number;
  peak_rss_bytes: number;
  peak_bytes_per_arc_excl_features: number;
  peak_above_baseline_bytes_per_arc: number;
  [key: string]: unknown;
}

/** Ingest + random 4-way partition + write, on ego-Twitter and on a generated 2M-node / 60M-arc graph. */
export async function partitionBench(options: { repeats: number; large: boolean }) {
  const cases: { name: string; input: string; undirected: boolean }[] = [];
  const twitter = egoTwitterPath();
  cases.push({ name: 'ego-twitter (symmetrized)', input: twitter, undirected: true });
  if (options.large) {
    const generated = await generatedLargeGraph();
    cases.push({ name: 'generated Chung-Lu 2M nodes / 60M arcs', input: generated, undirected: false });
  }
  const results = [];
  for (const c of cases) {
    const runs: JobResult[] = [];
    for (let i = 0; i < options.repeats; i++) {
      const out = join(WORK, 'partition-out');
      await rm(out, { recursive: true, force: true });
      runs.push(
        await runJob<JobResult>('bench/partition-job.ts', [
          c.input,
          '4',
          out,
          c.undirected ? 'undirected' : 'directed',
        ]),
      );
      process.stderr.write(`  ${c.name}: run ${i + 1}/${options.repeats}: ${runs[i].wall_s.toFixed(2)} s\n`);
    }
    results.push({
      case: c.name,
      arcs: runs[0].arcs,
      repeats: runs.length,
      wall_s_median: median(runs.map((r) => r.wall_s)),
      arcs_per_s_median: median(runs.map((r) => r.arcs_per_s)),
      peak_rss_bytes_max: Math.max(...runs.map((r) => r.peak_rss_bytes)),
      peak_bytes_per_arc_max: Math.max(...runs.map((r) => r.peak_bytes_per_arc_excl_features)),
      peak_above_baseline_bytes_per_arc_max: Math.max(...runs.map((r) => r.peak_above_baseline_bytes_per_arc)),
      targets: { arcs_per_s: 3e6, peak_bytes_per_arc: 40 },
      runs,
    });
  }
  return results;
}

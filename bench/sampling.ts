import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { egoTwitterPath, generatedLargeGraph, median, runFanout, WORK } from './child.ts';
import { buildReference, runReference } from './reference.ts';

interface FanoutBench {
  edges_per_s: number;
  batches_per_s: number;
  ms_per_batch_p50: number;
  ms_per_batch_p99: number;
  edges_per_batch: number;
}

async function fanoutBench(graph: string, fanouts: string, batches: number, extra: string[]): Promise<FanoutBench> {
  return JSON.parse(
    await runFanout([
      'bench',
      'sample',
      '--graph',
      graph,
      '--fanouts',
      fanouts,
      '--batch-size',
      '1024',
      '--batches',
      String(batches),
      '--json',
      ...extra,
    ]),
  );
}

/**
 * Sampling throughput beside the C++ reference, in the same run, on the same graph and fanouts: in-process on one
 * partition, and worker functions on 4 partitions with several batches in flight. Rounds alternate the contenders so
 * machine noise hits all alike; medians are reported with their ratios.
 */
export async function samplingBench(options: { rounds: number; large: boolean }) {
  const haveReference = await buildReference();
  const fanouts = '15,10,5';
  const cases: { name: string; raw: string; refGraph: string; batches: number; undirected: boolean }[] = [];
  const twitter = egoTwitterPath();
  // 500 batches: about 3 s a run, long enough for the noise to average out.
  cases.push({ name: 'ego-twitter', raw: twitter, refGraph: twitter, batches: 500, undirected: true });
  if (options.large) {
    // The reference builds its synthetic graph itself (seed 42); ours is the generator's with the same model and size.
    const generated = await generatedLargeGraph();
    cases.push({
      name: 'generated 2M nodes / 60M arcs',
      raw: generated,
      refGraph: 'synth:2000000:60000000',
      batches: 30,
      undirected: false,
    });
  }
  const results = [];
  for (const c of cases) {
    const one = join(WORK, `${c.name.replace(/\W+/g, '-')}-1part`);
    const four = join(WORK, `${c.name.replace(/\W+/g, '-')}-4parts`);
    for (const [out, parts] of [
      [one, '1'],
      [four, '4'],
    ] as const) {
      if (!existsSync(join(out, 'manifest.json'))) {
        await runFanout([
          'partition',
          '--input',
          c.raw,
          '--parts',
          parts,
          '--out',
          out,
          '-q',
          ...(c.undirected ? ['--undirected'] : []),
        ]);
      }
    }
    const contenders: Record<string, () => Promise<{ edges_per_s: number; edges_per_batch: number }>> = {
      'inprocess 1 part': () => fanoutBench(one, fanouts, c.batches, []),
      'inprocess 1 part, no edge IDs': () => fanoutBench(one, fanouts, c.batches, ['--no-edge-ids']),
      // One instance thread beside the coordinator's fills this 2-core machine; a second one shares a core.
      'workers 4 parts (1 thread, 4 in flight)': () =>
        fanoutBench(four, fanouts, c.batches, ['--transport', 'workers', '--workers', '1', '--in-flight', '4']),
      'workers 4 parts (2 threads, 4 in flight)': () =>
        fanoutBench(four, fanouts, c.batches, ['--transport', 'workers', '--workers', '2', '--in-flight', '4']),
      'workers 4 parts (1 thread + part 0 in the coordinator, 4 in flight)': () =>
        fanoutBench(four, fanouts, c.batches, [
          '--transport',
          'workers',
          '--workers',
          '1',
          '--local-parts',
          '0',
          '--in-flight',
          '4',
        ]),
    };
    if (haveReference) contenders['C++ reference'] = () => runReference(c.refGraph, c.batches, fanouts, 0);
    const runs = new Map<string, { edges_per_s: number; edges_per_batch: number }[]>();
    for (let round = 0; round < options.rounds; round++) {
      for (const [name, run] of Object.entries(contenders)) {
        const r = await run();
        runs.set(name, [...(runs.get(name) ?? []), r]);
        process.stderr.write(
          `  ${c.name}, round ${round + 1}: ${name}: ${(r.edges_per_s / 1e6).toFixed(2)} M edges/s\n`,
        );
      }
    }
    const medians = Object.fromEntries([...runs].map(([name, rs]) => [name, median(rs.map((r) => r.edges_per_s))]));
    const ref = medians['C++ reference'];
    const single = medians['inprocess 1 part'];
    const singles = runs.get('inprocess 1 part')!;
    results.push({
      case: c.name,
      fanouts,
      batch_size: 1024,
      rounds: options.rounds,
      edges_per_s_median: medians,
      ratio_to_reference: ref ? Object.fromEntries(Object.entries(medians).map(([n, v]) => [n, v / ref])) : undefined,
      ratio_to_inprocess: Object.fromEntries(Object.entries(medians).map(([n, v]) => [n, v / single])),
      // Each round's contenders run back to back, so a round's ratio shares the machine's state of the moment: the
      // median of those paired ratios is steadier than the ratio of medians when the machine drifts between rounds.
      ratio_to_inprocess_paired: Object.fromEntries(
        [...runs].map(([n, rs]) => [n, median(rs.map((r, i) => r.edges_per_s / singles[i].edges_per_s))]),
      ),
      targets: { inprocess_vs_reference: 0.7, workers_vs_inprocess: 1.3 },
      runs: Object.fromEntries(runs),
    });
  }
  return results;
}

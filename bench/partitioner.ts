import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ingestGraph } from '@fanout/core';
import { undirectedStructure } from '../packages/core/src/partition/multilevel/weighted-graph.ts';
import { egoTwitterPath, generatedLargeGraph, median, runJob, WORK } from './child.ts';

interface Job {
  arcs: number;
  wall_s: number;
  peak_rss_bytes: number;
  edge_cut_ratio: number;
  imbalance: number;
}

/** The partitioner's own peak memory over the ingested graph, against the symmetrized CSR (assigner-memory-job.ts). */
interface OwnMemory {
  own_peak_bytes: number;
  csr_bytes: number;
  own_vs_csr: number;
  assign_s: number;
}

/** gpmetis, when installed (`apt-get install metis`), on the same symmetrized graph. */
function gpmetis(
  file: string,
  k: number,
): Promise<{ edge_cut_ratio: number; imbalance: number; seconds: number } | undefined> {
  return new Promise((resolve) =>
    execFile('gpmetis', [file, String(k)], { maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error) return resolve(undefined);
      const cut = Number(/Edgecut: (\d+)/.exec(stdout)?.[1]);
      const edges = Number(/#Edges: (\d+)/.exec(stdout)?.[1]);
      const balance = Number(/constraint #0:\s+([\d.]+)/.exec(stdout)?.[1]);
      const seconds = Number(/Partitioning:\s+([\d.]+) sec/.exec(stdout)?.[1]);
      resolve({ edge_cut_ratio: cut / edges, imbalance: balance, seconds });
    }),
  );
}

/** The METIS graph file of a SNAP input, symmetrized (what gpmetis partitions). */
async function metisFile(input: string): Promise<string> {
  const file = join(WORK, 'ego-twitter.metis');
  if (existsSync(file)) return file;
  const graph = await ingestGraph({ input, undirected: true });
  const n = graph.ntypes[0].numNodes;
  const g = undirectedStructure(graph, new Int32Array(n).fill(1), 1);
  const lines = [`${n} ${g.adj.length / 2}`];
  for (let v = 0; v < n; v++)
    lines.push(Array.from(g.adj.subarray(g.indptr[v], g.indptr[v + 1]), (u) => u + 1).join(' '));
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Multilevel partitioning beside gpmetis: edge cut ratio, imbalance, wall time and peak RSS. The partitioning step's
 * time is the whole job's time minus the same job with random assignment (ingest and writing are common to both);
 * the partitioner's own memory comes from a separate run of the assignment alone.
 */
export async function partitionerBench(options: { repeats: number; large: boolean }) {
  const haveMetis = await new Promise<boolean>((resolve) =>
    execFile('gpmetis', ['-help'], (error) => resolve(!error || (error as NodeJS.ErrnoException).code !== 'ENOENT')),
  );
  const twitter = egoTwitterPath();
  const cases: { name: string; input: string; undirected: boolean; parts: number[]; metis?: string }[] = [
    {
      name: 'ego-twitter',
      input: twitter,
      undirected: true,
      parts: [4, 16, 64],
      metis: haveMetis ? await metisFile(twitter) : undefined,
    },
  ];
  if (options.large)
    cases.push({
      name: 'generated 2M nodes / 60M arcs',
      input: await generatedLargeGraph(),
      undirected: false,
      parts: [16],
    });
  const results = [];
  for (const c of cases) {
    for (const k of c.parts) {
      const runs: Record<'multilevel' | 'random', Job[]> = { multilevel: [], random: [] };
      const metis = [];
      let ownMemory: OwnMemory | undefined;
      for (let i = 0; i < options.repeats; i++) {
        for (const method of ['multilevel', 'random'] as const) {
          const out = join(WORK, 'partitioner-out');
          await rm(out, { recursive: true, force: true });
          runs[method].push(
            await runJob<Job>('bench/partition-job.ts', [
              c.input,
              String(k),
              out,
              c.undirected ? 'undirected' : 'directed',
              method,
            ]),
          );
        }
        if (c.metis) metis.push(await gpmetis(c.metis, k));
        if (i === 0)
          ownMemory = await runJob<OwnMemory>('bench/assigner-memory-job.ts', [
            c.input,
            String(k),
            c.undirected ? 'undirected' : 'directed',
          ]);
        process.stderr.write(
          `  ${c.name} k=${k}: run ${i + 1}/${options.repeats}: cut ${(100 * runs.multilevel[i].edge_cut_ratio).toFixed(2)} %\n`,
        );
      }
      const ours = runs.multilevel;
      const stepSeconds = median(ours.map((r) => r.wall_s)) - median(runs.random.map((r) => r.wall_s));
      const m = metis.filter((x) => x !== undefined);
      const metisSeconds = m.length ? median(m.map((x) => x.seconds)) : undefined;
      results.push({
        case: c.name,
        parts: k,
        arcs: ours[0].arcs,
        edge_cut_ratio: median(ours.map((r) => r.edge_cut_ratio)),
        imbalance: Math.max(...ours.map((r) => r.imbalance)),
        random_edge_cut_ratio: median(runs.random.map((r) => r.edge_cut_ratio)),
        wall_s_median: median(ours.map((r) => r.wall_s)),
        partitioning_step_s: stepSeconds,
        peak_rss_bytes_max: Math.max(...ours.map((r) => r.peak_rss_bytes)),
        own_memory: ownMemory,
        gpmetis: m.length
          ? {
              edge_cut_ratio: m[0].edge_cut_ratio,
              imbalance: m[0].imbalance,
              partitioning_s_median: metisSeconds,
              cut_vs_gpmetis: median(ours.map((r) => r.edge_cut_ratio)) / m[0].edge_cut_ratio,
              time_vs_gpmetis: metisSeconds ? stepSeconds / metisSeconds : undefined,
            }
          : 'not installed (apt-get install metis)',
        targets: { cut_vs_gpmetis: 1.1, imbalance: 1.03, time_vs_gpmetis: 5, own_vs_csr: 3 },
      });
    }
  }
  return results;
}

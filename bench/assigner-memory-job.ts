/**
 * The multilevel partitioner's own memory, in a fresh process: ingest, collect garbage, then reset the kernel's
 * peak-RSS mark (`/proc/self/clear_refs`, Linux) and run the assignment alone. Its own memory is the peak over the
 * RSS that the ingested graph already held; it is compared with the CSR of the symmetrized graph (indptr + indices,
 * Int32). Prints one JSON line. Invoked by bench/partitioner.ts; not meant to be run by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ingestGraph, multilevelAssigner } from '@fanout/core';
import { undirectedStructure } from '../packages/core/src/partition/multilevel/weighted-graph.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const status = (field: 'VmRSS' | 'VmHWM') =>
  1024 * Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);

const [input, parts, undirected] = process.argv.slice(2);
const graph = await ingestGraph({ input, undirected: undirected === 'undirected' });
gc();
gc();
const base = status('VmRSS');
writeFileSync('/proc/self/clear_refs', '5');
const phases: Record<string, number> = {};
const started = performance.now();
multilevelAssigner(graph, {
  numParts: Number(parts),
  seed: 0,
  balance: 'nodes',
  onProgress: ({ stage }) => {
    phases[stage] = Math.max(phases[stage] ?? 0, status('VmRSS') - base);
  },
});
const seconds = (performance.now() - started) / 1000;
const own = status('VmHWM') - base;
gc();
const n = graph.ntypes.reduce((s, t) => s + t.numNodes, 0);
const csr = 4 * (n + 1) + 4 * undirectedStructure(graph, new Int32Array(n).fill(1), 1).adj.length;
process.stdout.write(
  `${JSON.stringify({ own_peak_bytes: own, csr_bytes: csr, own_vs_csr: own / csr, assign_s: seconds, rss_by_stage: phases })}\n`,
);

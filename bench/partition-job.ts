/**
 * One partitioning run in a fresh process, so its peak RSS is its own: ingest → random partition → write, then one
 * JSON line on stdout. Invoked by bench/partition.ts; not meant to be run by hand.
 */
import { ingestGraph, openStore, partitionGraph } from '@fanout/core';

const [input, parts, out, undirected, method = 'random'] = process.argv.slice(2);
const baselineRss = process.memoryUsage().rss;
const started = performance.now();
const graph = await ingestGraph({ input, undirected: undirected === 'undirected' });
const ingested = performance.now();
const featureBytes = graph.ntypes.reduce(
  (n, t) => n + [...t.features.values()].reduce((m, f) => m + f.data.byteLength, 0),
  0,
);
const manifest = await partitionGraph(graph, openStore(out), { numParts: Number(parts), method });
const finished = performance.now();
const arcs = manifest.num_edges;
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(
  `${JSON.stringify({
    nodes: manifest.num_nodes,
    arcs,
    parts: manifest.num_parts,
    edge_cut_ratio: manifest.stats.edge_cut_ratio,
    imbalance: Math.max(...manifest.stats.part_nodes) / (manifest.num_nodes / manifest.num_parts),
    ingest_s: (ingested - started) / 1000,
    partition_write_s: (finished - ingested) / 1000,
    wall_s: (finished - started) / 1000,
    arcs_per_s: arcs / ((finished - started) / 1000),
    peak_rss_bytes: peakRss,
    baseline_rss_bytes: baselineRss,
    feature_bytes: featureBytes,
    peak_bytes_per_arc_excl_features: (peakRss - featureBytes) / arcs,
    // Node, tsx and the libraries take ~130 MB before any graph is read; on small graphs that dominates.
    peak_above_baseline_bytes_per_arc: (peakRss - baselineRss - featureBytes) / arcs,
  })}\n`,
);

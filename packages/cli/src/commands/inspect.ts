import { writeFile } from 'node:fs/promises';
import { FanoutError, type Manifest, PartitionedGraph } from '@fanout/core';
import type { Command } from 'commander';
import { info, printJson } from '../output.ts';
import { ProgressBars } from '../progress-bars.ts';

/** The figures `inspect --json` prints: DGL's partition config fields plus per-part counts, summed over types. */
export function summarize(m: Manifest) {
  return {
    graph_name: m.graph_name,
    format: m.format,
    version: m.version,
    num_parts: m.num_parts,
    part_method: m.part_method,
    num_nodes: m.num_nodes,
    num_edges: m.num_edges,
    undirected: m.undirected,
    ntypes: Object.keys(m.ntypes),
    etypes: Object.keys(m.etypes),
    rows_per_batch: m.rows_per_batch,
    node_features: m.node_features,
    edge_features: m.edge_features,
    edge_columns: m.edge_columns,
    stats: m.stats,
    parts: m.parts.map((part, i) => ({
      part: i,
      num_nodes: m.stats.part_nodes[i],
      num_edges: m.stats.part_edges[i],
      bytes: [
        ...Object.values(part.graph),
        ...Object.values(part.node_feats),
        ...Object.values(part.edge_feats),
      ].reduce((n, f) => n + f.bytes, 0),
      node_map: Object.fromEntries(Object.entries(m.node_map).map(([t, r]) => [t, r[i]])),
    })),
  };
}

export function printSummary(m: Manifest): void {
  const s = summarize(m);
  const lines = [
    `graph ${s.graph_name}: ${s.num_nodes.toLocaleString('en-US')} nodes, ${s.num_edges.toLocaleString('en-US')} arcs${s.undirected ? ' (symmetrized)' : ''}`,
    `format ${s.format} v${s.version}, ${s.num_parts} parts by ${s.part_method}, ${s.rows_per_batch} rows per record batch`,
    `types: nodes ${s.ntypes.join(', ')}; edges ${s.etypes.join(', ')}`,
    `node data: ${Object.entries(s.node_features)
      .map(
        ([t, f]) =>
          `${t}: ${f.map((x) => `${x.name}${x.shape.length ? `[${x.shape.join('x')}]` : ''}`).join(', ') || 'none'}`,
      )
      .join('; ')}`,
    `edge cut: ${s.stats.edge_cut.toLocaleString('en-US')} arcs (${(100 * s.stats.edge_cut_ratio).toFixed(2)} %)`,
    '',
    'part       nodes        arcs        bytes',
    ...s.parts.map(
      (p) =>
        `${String(p.part).padStart(4)} ${String(p.num_nodes).padStart(11)} ${String(p.num_edges).padStart(11)} ${String(p.bytes).padStart(12)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('describe a partitioned graph')
    .argument('<manifest>', 'manifest path or URI, or the directory that holds it')
    .option('--json', 'print one JSON object')
    .option('--assignment <file>', 'write the partition of each original node ID, one line per ID')
    .option('--ntype <name>', 'node type for --assignment (default: the only one)')
    .option('--verify', 'read every file and check every checksum')
    .option('-q, --quiet', 'no progress bars')
    .action(
      async (
        uri: string,
        opts: { json?: boolean; assignment?: string; ntype?: string; verify?: boolean; quiet?: boolean },
      ) => {
        const graph = await PartitionedGraph.open(uri);
        const m = graph.manifest;
        if (opts.assignment) await writeAssignment(graph, opts.assignment, opts.ntype);
        if (opts.verify) await verifyAll(graph, !opts.quiet);
        if (opts.json) printJson(opts.verify ? { ...summarize(m), verified: true } : summarize(m));
        else {
          printSummary(m);
          if (opts.verify) info('every file matches its checksums');
        }
      },
    );
}

async function writeAssignment(graph: PartitionedGraph, file: string, wanted?: string): Promise<void> {
  const ntypes = Object.keys(graph.manifest.ntypes);
  const ntype = wanted ?? (ntypes.length === 1 ? ntypes[0] : undefined);
  if (!ntype || !ntypes.includes(ntype)) {
    throw new FanoutError('INVALID_ARGUMENT', `choose a node type with --ntype (${ntypes.join(', ')})`);
  }
  const { internalOfOrig } = await graph.readIdMaps(ntype);
  const lines = new Array<string>(internalOfOrig.length);
  for (let v = 0; v < internalOfOrig.length; v++) lines[v] = String(graph.partOf(ntype, internalOfOrig[v]));
  await writeFile(file, lines.length ? `${lines.join('\n')}\n` : '');
}

async function verifyAll(graph: PartitionedGraph, showProgress: boolean): Promise<void> {
  const bars = new ProgressBars(showProgress);
  try {
    await graph.verify(bars.listener);
  } finally {
    bars.stop();
  }
}

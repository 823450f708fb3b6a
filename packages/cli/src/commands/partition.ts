import { ASSIGNERS, DEFAULT_METHOD, type InputFormat, ingestGraph, openStore, partitionGraph } from '@fanout/core';
import { type Command, Option } from 'commander';
import { integer, positiveNumber } from '../options.ts';
import { info, printJson } from '../output.ts';
import { ProgressBars } from '../progress-bars.ts';
import { summarize } from './inspect.ts';

interface PartitionFlags {
  input: string;
  format?: InputFormat;
  undirected?: boolean;
  parts: number;
  method: string;
  balance: 'nodes' | 'edges' | 'train';
  imbalance: number;
  seed: number;
  out: string;
  name?: string;
  split?: string;
  rowsPerBatch?: number;
  json?: boolean;
  quiet?: boolean;
}

export function registerPartition(program: Command): void {
  program
    .command('partition')
    .description('ingest a raw graph and write it as partition format v1 (manifest written last)')
    .requiredOption(
      '--input <path|s3://…>',
      'raw graph: OGB dataset directory, SNAP edge list, Arrow edge table or directory',
    )
    .addOption(new Option('--format <format>', 'input layout (detected when absent)').choices(['ogb', 'snap', 'arrow']))
    .option('--undirected', 'add the reverse of every edge (reverse of edge i gets ID M + i)')
    .requiredOption('--parts <n>', 'number of partitions', integer(1, 1 << 20))
    .addOption(
      new Option('--method <method>', 'partitioning method').choices(Object.keys(ASSIGNERS)).default(DEFAULT_METHOD),
    )
    .addOption(
      new Option('--balance <what>', 'balance nodes, stored arcs, or nodes and training nodes per part')
        .choices(['nodes', 'edges', 'train'])
        .default('nodes'),
    )
    .option('--imbalance <ratio>', 'largest part weight over the average (multilevel)', positiveNumber, 1.03)
    .option('--seed <s>', 'random seed', integer(0, 0xffffffff), 0)
    .requiredOption('--out <dir|s3://…>', 'where to write the partitioned graph')
    .option('--name <name>', 'graph name (default: from the input)')
    .option('--split <scheme>', 'OGB split scheme under split/ (default: the only one)')
    .option('--rows-per-batch <n>', 'rows per Arrow record batch', integer(1, 1 << 24))
    .option('--json', 'print the result as one JSON object')
    .option('-q, --quiet', 'no progress bars')
    .action(async (flags: PartitionFlags) => {
      const bars = new ProgressBars(!flags.quiet);
      const started = performance.now();
      try {
        const graph = await ingestGraph({
          input: flags.input,
          format: flags.format,
          undirected: flags.undirected,
          name: flags.name,
          split: flags.split,
          onProgress: bars.listener,
        });
        const manifest = await partitionGraph(graph, openStore(flags.out), {
          numParts: flags.parts,
          method: flags.method,
          balance: flags.balance,
          imbalance: flags.imbalance,
          seed: flags.seed,
          rowsPerBatch: flags.rowsPerBatch,
          onProgress: bars.listener,
        });
        bars.stop();
        const seconds = (performance.now() - started) / 1000;
        if (flags.json) printJson({ ...summarize(manifest), out: flags.out, seconds });
        else {
          const { graph_name, num_nodes, num_edges, num_parts, part_method, stats } = manifest;
          process.stdout.write(
            `partitioned ${graph_name} (${num_nodes.toLocaleString('en-US')} nodes, ${num_edges.toLocaleString('en-US')} arcs) into ${num_parts} parts by ${part_method}: edge cut ${(100 * stats.edge_cut_ratio).toFixed(2)} %\n`,
          );
          info(`wrote ${flags.out} in ${seconds.toFixed(2)} s; details: fanout inspect ${flags.out}`);
        }
      } finally {
        bars.stop();
      }
    });
}

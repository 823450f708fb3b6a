import { readFile, writeFile } from 'node:fs/promises';
import {
  createInvoker,
  DistNeighborSampler,
  FanoutError,
  PartitionedGraph,
  randomSeedBatches,
  type SamplerOutput,
  sampleToJson,
  TRANSPORTS,
  type TransportName,
} from '@fanout/core';
import { type Command, Option } from 'commander';
import { integer } from '../options.ts';
import { info, printJson } from '../output.ts';
import { ProgressBars } from '../progress-bars.ts';

/** The flags `samplingFlags` defines, shared by `sample` and `bench sample`. */
export interface SamplingFlags {
  graph: string;
  fanouts: number[];
  batchSize: number;
  seed: number;
  replace?: boolean;
  disjoint?: boolean;
  edgeIds: boolean;
  weightAttr?: 'weight';
  seedTime?: number;
  temporalStrategy: 'uniform' | 'last';
  transport: TransportName;
  workers?: number;
  localParts?: number[];
  inFlight: number;
  json?: boolean;
  quiet?: boolean;
}

/** Sampling options and invoker settings as the library takes them. */
export function fromFlags(flags: SamplingFlags) {
  return {
    options: {
      num_neighbors: flags.fanouts,
      seed: flags.seed,
      replace: !!flags.replace,
      disjoint: !!flags.disjoint,
      return_edge_id: flags.edgeIds,
      weight_attr: flags.weightAttr,
      seed_time: flags.seedTime,
      temporal_strategy: flags.temporalStrategy,
    },
    transport: { workers: flags.workers, localParts: flags.localParts },
  };
}

interface SampleFlags extends SamplingFlags {
  seeds?: string;
  seedsFile?: string;
  randomSeeds?: number;
  out?: string;
}

/** `15,10,5` → [15, 10, 5]; each a positive count or -1. */
export function parseFanouts(value: string): number[] {
  const fanouts = value.split(',').map((x) => Number(x.trim()));
  if (fanouts.length === 0 || fanouts.some((k) => !Number.isInteger(k) || k === 0 || k < -1)) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `--fanouts takes comma-separated positive counts or -1 (all neighbors), got "${value}"`,
    );
  }
  return fanouts;
}

function parsePartList(value: string): number[] {
  const parts = value.split(',').map((x) => Number(x.trim()));
  if (parts.some((p) => !Number.isInteger(p) || p < 0))
    throw new FanoutError('INVALID_ARGUMENT', `--local-parts takes partition numbers, got "${value}"`);
  return parts;
}

export function samplingFlags(command: Command): Command {
  return command
    .requiredOption('--graph <manifest>', 'partitioned graph: manifest path or URI, or its directory')
    .requiredOption('--fanouts <list>', 'neighbors per hop, e.g. 15,10,5 (-1 = all)', parseFanouts)
    .option('--seed <s>', 'random seed of the run', integer(0, 0xffffffff), 0)
    .option('--replace', 'sample with replacement')
    .option('--disjoint', 'one subgraph per seed')
    .option('--no-edge-ids', 'do not return edge IDs (faster)')
    .option(
      '--seed-time <t>',
      'temporal sampling: only edges at or before this time (every seed); disjoint',
      integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    )
    .addOption(
      new Option('--temporal-strategy <s>', 'temporal: uniform among eligible edges, or the last (most recent)')
        .choices(['uniform', 'last'])
        .default('uniform'),
    )
    .addOption(
      new Option('--weight-attr <column>', 'sample by edge weight (∝ weight; without replacement: successive)').choices(
        ['weight'],
      ),
    )
    .addOption(
      new Option('--transport <name>', 'how hop functions are reached').choices(TRANSPORTS).default('inprocess'),
    )
    .option('--workers <w>', 'function instances for --transport workers', integer(1, 256))
    .option(
      '--local-parts <list>',
      'with workers: partitions this process samples itself (co-located, as a DistDGL trainer)',
      parsePartList,
    )
    .option('--in-flight <n>', 'batches sampled concurrently', integer(1, 1024), 1)
    .option('-q, --quiet', 'no progress bars');
}

export function registerSample(program: Command): void {
  samplingFlags(program.command('sample').description('sample multi-hop neighborhoods of seed nodes (original IDs)'))
    .option('--seeds <list>', 'comma-separated seed node IDs')
    .option('--seeds-file <file>', 'seed node IDs, one per line')
    .option('--random-seeds <k>', 'k distinct seeds drawn uniformly (by --seed)', integer(1, 0x7fffffff))
    .option('--batch-size <b>', 'seeds per batch; batch keys are 0, 1, …', integer(1, 1 << 24), 1024)
    .option('--out <file>', 'write every batch as JSON (node and edge as original IDs)')
    .option('--json', 'print a JSON summary')
    .action(async (flags: SampleFlags) => {
      const graph = await PartitionedGraph.open(flags.graph);
      const seeds = await readSeeds(flags, graph);
      const { options, transport } = fromFlags(flags);
      const invoker = createInvoker(graph, flags.transport, transport);
      const bars = new ProgressBars(!flags.quiet);
      try {
        const sampler = new DistNeighborSampler(graph, invoker);
        const batches = [];
        for (let start = 0, key = 0; start < seeds.length; start += flags.batchSize, key++) {
          batches.push({ seeds: seeds.subarray(start, start + flags.batchSize), batchKey: key });
        }
        const outputs: { seeds: Int32Array; output: SamplerOutput }[] = [];
        let done = 0;
        for await (const output of sampler.sampleBatches(batches, options, flags.inFlight)) {
          outputs.push({ seeds: batches[done].seeds, output });
          bars.listener({ stage: 'sample batches', done: ++done, total: batches.length });
        }
        bars.stop();
        if (flags.out) await writeFile(flags.out, serializeBatches(outputs));
        const summary = {
          batches: outputs.length,
          seeds: seeds.length,
          nodes: outputs.reduce((n, o) => n + o.output.node.length, 0),
          edges: outputs.reduce((n, o) => n + o.output.row.length, 0),
          transport: invoker.name,
          out: flags.out,
        };
        if (flags.json) printJson(summary);
        else
          info(
            `sampled ${summary.batches} batches: ${summary.nodes} nodes, ${summary.edges} edges${flags.out ? ` → ${flags.out}` : ''}`,
          );
      } finally {
        bars.stop();
        await invoker.close();
      }
    });
}

async function readSeeds(flags: SampleFlags, graph: PartitionedGraph): Promise<Int32Array> {
  const given = [flags.seeds, flags.seedsFile, flags.randomSeeds].filter((x) => x !== undefined).length;
  if (given !== 1)
    throw new FanoutError('INVALID_ARGUMENT', 'give exactly one of --seeds, --seeds-file, --random-seeds');
  const numNodes = graph.manifest.num_nodes;
  if (flags.randomSeeds !== undefined) {
    if (flags.randomSeeds > numNodes)
      throw new FanoutError('INVALID_ARGUMENT', `--random-seeds ${flags.randomSeeds} exceeds the ${numNodes} nodes`);
    return randomSeedBatches(numNodes, flags.randomSeeds, 1, flags.seed)[0];
  }
  const text = flags.seeds ?? (await readFile(flags.seedsFile!, 'utf8'));
  const tokens = text
    .split(flags.seeds !== undefined ? ',' : /\r?\n/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return Int32Array.from(tokens, (t) => {
    if (!/^\d+$/.test(t) || Number(t) > 0x7fffffff)
      throw new FanoutError('INVALID_ARGUMENT', `seed "${t}" is not a node ID`);
    return Number(t);
  });
}

/** The `--out` document: one JSON object per batch, its seeds first, IDs as JSON numbers. */
function serializeBatches(outputs: { seeds: Int32Array; output: SamplerOutput }[]): Buffer {
  const parts: Uint8Array[] = [Buffer.from('{"batches":[\n')];
  outputs.forEach(({ seeds, output }, i) => {
    if (i > 0) parts.push(Buffer.from(',\n'));
    parts.push(sampleToJson(output, { seeds: `[${seeds.join(',')}]` }));
  });
  parts.push(Buffer.from('\n]}\n'));
  return Buffer.concat(parts);
}

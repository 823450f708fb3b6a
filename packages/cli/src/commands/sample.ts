import { readFile, writeFile } from 'node:fs/promises';
import {
  createInvoker,
  DistNeighborSampler,
  FanoutError,
  HeteroNeighborSampler,
  type HeteroSamplerOutput,
  heteroSampleToJson,
  isHomogeneous,
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
  /** A list for every edge type, or per canonical edge type (heterogeneous graphs). */
  fanouts: number[] | Record<string, number[]>;
  batchSize: number;
  seed: number;
  replace?: boolean;
  disjoint?: boolean;
  edgeIds: boolean;
  weightAttr?: 'weight';
  seedTime?: number;
  timeAttr?: 'time' | 'nbr_time';
  temporalStrategy: 'uniform' | 'last';
  transport: TransportName;
  workers?: number;
  localParts?: number[];
  inFlight: number;
  json?: boolean;
  quiet?: boolean;
}

/** Sampling options (fanouts as one list) and invoker settings as the library takes them. */
export function fromFlags(flags: SamplingFlags) {
  if (!Array.isArray(flags.fanouts)) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      '--fanouts per edge type (etype=k,k;…) needs a heterogeneous graph; this one has one edge type: give a list',
    );
  }
  return fromTypedFlags(flags, flags.fanouts);
}

/** The same, keeping per edge type fanouts. */
function fromTypedFlags<Fanouts extends SamplingFlags['fanouts']>(flags: SamplingFlags, fanouts: Fanouts) {
  return {
    options: {
      num_neighbors: fanouts,
      seed: flags.seed,
      replace: !!flags.replace,
      disjoint: !!flags.disjoint,
      return_edge_id: flags.edgeIds,
      weight_attr: flags.weightAttr,
      seed_time: flags.seedTime,
      time_attr: flags.timeAttr,
      temporal_strategy: flags.temporalStrategy,
    },
    transport: { workers: flags.workers, localParts: flags.localParts },
  };
}

interface SampleFlags extends SamplingFlags {
  inputType?: string;
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

/**
 * `--fanouts` as a list for every edge type (`15,10,5`), or per canonical edge type, PyG's dict form:
 * `author:writes:paper=10,5;paper:cites:paper=5,0` (0 skips an edge type at a hop).
 */
export function parseTypedFanouts(value: string): number[] | Record<string, number[]> {
  if (!value.includes('=')) return parseFanouts(value);
  const typed: Record<string, number[]> = {};
  for (const entry of value.split(';').filter((e) => e.trim() !== '')) {
    const [etype, list, ...rest] = entry.split('=');
    const fanouts = (list ?? '').split(',').map((x) => Number(x.trim()));
    if (rest.length > 0 || etype.split(':').length !== 3 || fanouts.some((k) => !Number.isInteger(k) || k < -1)) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `--fanouts per edge type reads src:relation:dst=k,k;… with counts, 0 or -1, got "${entry}"`,
      );
    }
    typed[etype.trim()] = fanouts;
  }
  return typed;
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
    .requiredOption(
      '--fanouts <list>',
      'neighbors per hop, e.g. 15,10,5 (-1 = all); per edge type: author:writes:paper=10,5;paper:cites:paper=5,5',
      parseTypedFanouts,
    )
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
      new Option(
        '--time-attr <column>',
        'temporal: compare the edge time (time) or the neighbor node time (nbr_time); default: edge time, else node time',
      ).choices(['time', 'nbr_time']),
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
    .option('--input-type <ntype>', "heterogeneous graphs: the seeds' node type")
    .option('--seeds <list>', 'comma-separated seed node IDs')
    .option('--seeds-file <file>', 'seed node IDs, one per line')
    .option('--random-seeds <k>', 'k distinct seeds drawn uniformly (by --seed)', integer(1, 0x7fffffff))
    .option('--batch-size <b>', 'seeds per batch; batch keys are 0, 1, …', integer(1, 1 << 24), 1024)
    .option('--out <file>', 'write every batch as JSON (node and edge as original IDs)')
    .option('--json', 'print a JSON summary')
    .action(async (flags: SampleFlags) => {
      const graph = await PartitionedGraph.open(flags.graph);
      const inputType = seedType(graph, flags.inputType);
      const seeds = await readSeeds(flags, graph, inputType);
      const batches = [];
      for (let start = 0, key = 0; start < seeds.length; start += flags.batchSize, key++) {
        batches.push({ seeds: seeds.subarray(start, start + flags.batchSize), batchKey: key });
      }
      const { options, transport } = fromTypedFlags(flags, flags.fanouts);
      const invoker = createInvoker(graph, flags.transport, transport);
      const bars = new ProgressBars(!flags.quiet);
      try {
        const homogeneous = isHomogeneous(graph.manifest) ? new DistNeighborSampler(graph, invoker) : undefined;
        const outputs = homogeneous
          ? homogeneous.sampleBatches(batches, fromFlags(flags).options, flags.inFlight)
          : new HeteroNeighborSampler(graph, invoker).sampleBatches(inputType, batches, options, flags.inFlight);
        const parts: Uint8Array[] = [];
        let nodes = 0;
        let edges = 0;
        let done = 0;
        for await (const output of outputs) {
          const batchSeeds = batches[done].seeds;
          nodes += total(output.node);
          edges += total(output.row);
          if (flags.out) parts.push(encodeBatch(output, batchSeeds));
          // Encoded (copied) by now: its storage serves the next batches.
          homogeneous?.recycle(output as SamplerOutput);
          bars.listener({ stage: 'sample batches', done: ++done, total: batches.length });
        }
        bars.stop();
        if (flags.out) await writeFile(flags.out, batchesDocument(parts));
        const summary = {
          batches: done,
          seeds: seeds.length,
          nodes,
          edges,
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

/** Length of an array, or summed over a per-type record of arrays. */
function total(values: Int32Array | Record<string, Int32Array>): number {
  if (values instanceof Int32Array) return values.length;
  return Object.values(values).reduce((n, v) => n + v.length, 0);
}

/** The seeds' node type: `--input-type`, required on a heterogeneous graph; a homogeneous graph's only type. */
function seedType(graph: PartitionedGraph, given: string | undefined): string {
  const ntypes = Object.keys(graph.manifest.ntypes);
  if (given !== undefined && !ntypes.includes(given)) {
    throw new FanoutError('INVALID_ARGUMENT', `--input-type ${given}: the graph's node types are ${ntypes.join(', ')}`);
  }
  if (given === undefined && !isHomogeneous(graph.manifest)) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `the graph is heterogeneous: name the seeds' node type with --input-type (${ntypes.join(', ')})`,
    );
  }
  return given ?? ntypes[0];
}

async function readSeeds(flags: SampleFlags, graph: PartitionedGraph, ntype: string): Promise<Int32Array> {
  const given = [flags.seeds, flags.seedsFile, flags.randomSeeds].filter((x) => x !== undefined).length;
  if (given !== 1)
    throw new FanoutError('INVALID_ARGUMENT', 'give exactly one of --seeds, --seeds-file, --random-seeds');
  const ranges = graph.manifest.node_map[ntype];
  const numNodes = ranges[ranges.length - 1][1];
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

/** One batch of the `--out` document: its sample as JSON with PyG's field names, and its seeds. */
function encodeBatch(output: SamplerOutput | HeteroSamplerOutput, seeds: Int32Array): Uint8Array {
  const given = `[${seeds.join(',')}]`;
  return output.node instanceof Int32Array
    ? sampleToJson(output as SamplerOutput, { seeds: given })
    : heteroSampleToJson(output as HeteroSamplerOutput, { seeds: given });
}

/** The `--out` document: one JSON object per batch, IDs as JSON numbers. */
function batchesDocument(batches: Uint8Array[]): Buffer {
  const parts: Uint8Array[] = [Buffer.from('{"batches":[\n')];
  batches.forEach((batch, i) => {
    if (i > 0) parts.push(Buffer.from(',\n'));
    parts.push(batch);
  });
  parts.push(Buffer.from('\n]}\n'));
  return Buffer.concat(parts);
}

import { writeFile } from 'node:fs/promises';
import {
  createInvoker,
  DistNeighborSampler,
  FanoutError,
  LinkNeighborSampler,
  PartitionedGraph,
  sampleToJson,
} from '@fanout/core';
import { type Command, Option } from 'commander';
import { positiveNumber } from '../options.ts';
import { info, printJson } from '../output.ts';
import { fromFlags, type SamplingFlags, samplingFlags } from './sample.ts';

interface SampleLinksFlags extends SamplingFlags {
  links: [number[], number[]];
  negSampling?: 'binary' | 'triplet';
  numNeg: number;
  strict?: boolean;
  excludeSeedEdges?: boolean;
  linkTimes?: number[];
  out?: string;
}

/** `0:5,3:7` → sources [0, 3], destinations [5, 7]. */
function parseLinks(value: string): [number[], number[]] {
  const src: number[] = [];
  const dst: number[] = [];
  for (const pair of value.split(',')) {
    const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(pair);
    if (!match) throw new FanoutError('INVALID_ARGUMENT', `--links takes src:dst pairs, got "${pair}"`);
    src.push(Number(match[1]));
    dst.push(Number(match[2]));
  }
  return [src, dst];
}

function parseTimes(value: string): number[] {
  return value.split(',').map((t) => {
    if (!/^\s*-?\d+\s*$/.test(t)) throw new FanoutError('INVALID_ARGUMENT', `--link-times takes integers, got "${t}"`);
    return Number(t);
  });
}

export function registerSampleLinks(program: Command): void {
  samplingFlags(
    program
      .command('sample-links')
      .description('sample the neighborhoods of links, with negatives (PyG LinkNeighborLoader)'),
  )
    .requiredOption('--links <pairs>', 'positive links as src:dst pairs, comma-separated (original IDs)', parseLinks)
    .addOption(
      new Option('--neg-sampling <mode>', 'negatives: binary pairs or triplet destinations').choices([
        'binary',
        'triplet',
      ]),
    )
    .option('--num-neg <amount>', 'negatives per positive', positiveNumber, 1)
    .option('--strict', 'never return an existing edge as a negative')
    .option('--exclude-seed-edges', 'keep the links (and their reverse arcs) out of their own neighborhoods')
    .option(
      '--link-times <list>',
      'temporal: a time per link (PyG edge_label_time), comma-separated; --seed-time T gives every link T',
      parseTimes,
    )
    .option('--out <file>', 'write the sample as JSON')
    .option('--json', 'print a JSON summary')
    .action(async (flags: SampleLinksFlags) => {
      const graph = await PartitionedGraph.open(flags.graph);
      const { options, transport } = fromFlags(flags);
      const invoker = createInvoker(graph, flags.transport, transport);
      try {
        const sampler = new LinkNeighborSampler(new DistNeighborSampler(graph, invoker));
        const [src, dst] = flags.links;
        const { seed_time: seedTime, ...nodeOptions } = options;
        const out = await sampler.sample(src, dst, {
          ...nodeOptions,
          edge_label_time: flags.linkTimes ?? (seedTime === undefined ? undefined : src.map(() => seedTime)),
          exclude_seed_edges: !!flags.excludeSeedEdges,
          neg_sampling: flags.negSampling
            ? { mode: flags.negSampling, amount: flags.numNeg, strict: !!flags.strict }
            : undefined,
        });
        const metadata: Record<string, string> = { negatives_missing: String(out.negativesMissing) };
        if (out.edgeLabelIndex) {
          const half = out.edgeLabelIndex.length / 2;
          metadata.edge_label_index = JSON.stringify([
            [...out.edgeLabelIndex.subarray(0, half)],
            [...out.edgeLabelIndex.subarray(half)],
          ]);
          metadata.edge_label = JSON.stringify([...out.edgeLabel!]);
        } else {
          metadata.src_index = JSON.stringify([...out.srcIndex!]);
          metadata.dst_pos_index = JSON.stringify([...out.dstPosIndex!]);
          metadata.dst_neg_index = JSON.stringify([...out.dstNegIndex!]);
        }
        if (flags.out) await writeFile(flags.out, sampleToJson(out, {}, metadata));
        const summary = {
          links: src.length,
          negatives: out.edgeLabel ? out.edgeLabel.length - src.length : out.dstNegIndex!.length,
          negatives_missing: out.negativesMissing,
          nodes: out.node.length,
          edges: out.row.length,
          out: flags.out,
        };
        if (flags.json) printJson(summary);
        else
          info(
            `sampled ${summary.links} links (${summary.negatives} negatives): ${summary.nodes} nodes, ${summary.edges} edges`,
          );
      } finally {
        await invoker.close();
      }
    });
}

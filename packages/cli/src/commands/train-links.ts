import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createInvoker,
  DistNeighborSampler,
  FeatureStore,
  ingestGraph,
  openStore,
  PartitionedGraph,
  partitionGraph,
  splitEdges,
} from '@fanout/core';
import { DEFAULT_LINK_OPTIONS } from '@fanout/trainer/defaults';
import { type Command, Option } from 'commander';
import { fraction, integer } from '../options.ts';
import { info } from '../output.ts';
import { ProgressBars } from '../progress-bars.ts';
import { type ModelFlags, modelFlags, modelOptions } from './model-flags.ts';

interface TrainLinksFlags extends ModelFlags {
  input: string;
  format?: 'ogb' | 'snap' | 'arrow';
  undirected?: boolean;
  parts: number;
  out?: string;
  val: number;
  test: number;
  save?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerTrainLinks(program: Command): void {
  const d = DEFAULT_LINK_OPTIONS;
  modelFlags(
    program
      .command('train-links')
      .description(
        'link prediction: hold out val/test links from a raw graph, partition the rest, train GraphSAGE + dot product',
      )
      .requiredOption('--input <dir|file|s3://…>', 'the raw graph, as `fanout partition` reads it (with node features)')
      .addOption(new Option('--format <f>', 'input layout (detected when absent)').choices(['ogb', 'snap', 'arrow']))
      .option('--undirected', 'symmetrize the input first')
      .option('--parts <n>', 'partitions of the training structure', integer(1, 4096), 2)
      .option('--out <dir|s3://…>', 'where the training structure is partitioned (default: a temporary directory)')
      .option('--val <f>', 'links held out for validation', fraction, 0.05)
      .option('--test <f>', 'links held out for testing', fraction, 0.1),
    d,
    'positive links per batch (as many negatives are drawn)',
  )
    .option('--save <uri>', 'save the best encoder (model.json + weights.bin) under this directory or s3:// prefix')
    .option('--json', 'one JSON object per epoch, then a summary line')
    .option('-q, --quiet', 'no progress bars')
    .action(async (flags: TrainLinksFlags) => {
      const { saveGraphSage, selectBackend, trainLinkPrediction } = await import('@fanout/trainer');
      const backend = await selectBackend();
      info(`tfjs backend: ${backend}`);
      const bars = new ProgressBars(!flags.quiet && !flags.json);
      const scratch = flags.out ? undefined : await mkdtemp(join(tmpdir(), 'fanout-train-links-'));
      try {
        const raw = await ingestGraph({
          input: flags.input,
          format: flags.format,
          undirected: flags.undirected,
          onProgress: bars.listener,
        });
        // Held-out links leave the structure before partitioning, so no sample can see them (no leakage).
        const split = splitEdges(raw, { val: flags.val, test: flags.test, seed: flags.seed });
        const out = flags.out ?? scratch!;
        await partitionGraph(split.train, openStore(out), {
          numParts: flags.parts,
          seed: flags.seed,
          onProgress: bars.listener,
        });
        bars.stop();
        const graph = await PartitionedGraph.open(out);
        const invoker = createInvoker(graph, 'inprocess');
        try {
          const result = await trainLinkPrediction(
            new DistNeighborSampler(graph, invoker),
            new FeatureStore(graph),
            { train: split.trainLinks, val: split.val, test: split.test },
            {
              ...d,
              ...modelOptions(flags),
              onEpoch: (stats) => {
                if (flags.json) process.stdout.write(`${JSON.stringify(stats)}\n`);
                else
                  info(
                    `epoch ${stats.epoch}: loss ${stats.loss.toFixed(4)}, val AUC ${stats.val_auc.toFixed(3)}, test AUC ${stats.test_auc.toFixed(3)}, test MRR ${stats.test_mrr.toFixed(3)}`,
                  );
              },
            },
          );
          const { best } = result;
          if (flags.save) await saveGraphSage(result.model, flags.save);
          const summary = {
            summary: true,
            best_epoch: best.epoch,
            val_auc: best.val_auc,
            test_auc: best.test_auc,
            test_mrr: best.test_mrr,
            links: { train: split.trainLinks.src.length, val: split.val.src.length, test: split.test.src.length },
            backend,
            saved_to: flags.save,
          };
          if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
          else
            process.stdout.write(
              `best validation AUC ${best.val_auc.toFixed(3)} at epoch ${best.epoch}: test AUC ${best.test_auc.toFixed(3)}, MRR ${best.test_mrr.toFixed(3)}\n`,
            );
          result.model.dispose();
        } finally {
          await invoker.close();
        }
      } finally {
        bars.stop();
        if (scratch) await rm(scratch, { recursive: true, force: true });
      }
    });
}

import {
  createInvoker,
  DistNeighborSampler,
  FeatureStore,
  PartitionedGraph,
  TRANSPORTS,
  type TransportName,
} from '@fanout/core';
import { DEFAULT_TRAIN_OPTIONS } from '@fanout/trainer/defaults';
import { type Command, Option } from 'commander';
import { integer } from '../options.ts';
import { info } from '../output.ts';
import { ProgressBars } from '../progress-bars.ts';
import { type ModelFlags, modelFlags, modelOptions } from './model-flags.ts';

interface TrainFlags extends ModelFlags {
  graph: string;
  transport: TransportName;
  workers?: number;
  prefetch: number;
  save?: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerTrain(program: Command): void {
  const d = DEFAULT_TRAIN_OPTIONS;
  modelFlags(
    program
      .command('train')
      .description('train GraphSAGE for node classification on the train/val/test masks')
      .requiredOption('--graph <manifest>', 'partitioned graph: manifest path or URI, or its directory'),
    d,
    'training nodes per batch',
  )
    .addOption(
      new Option('--transport <name>', 'how hop functions are reached').choices(TRANSPORTS).default('inprocess'),
    )
    .option('--workers <w>', 'function instances for --transport workers', integer(1, 256))
    .option('--prefetch <n>', 'batches sampled and fetched ahead of the training step', integer(0, 64), 2)
    .option('--save <uri>', 'save the best model (model.json + weights.bin) under this directory or s3:// prefix')
    .option('--json', 'one JSON object per epoch, then a summary line')
    .option('-q, --quiet', 'no progress bars')
    .action(async (flags: TrainFlags) => {
      const { saveGraphSage, selectBackend, trainGraphSage } = await import('@fanout/trainer');
      const backend = await selectBackend();
      info(
        `tfjs backend: ${backend}${backend === 'cpu' ? ' (install @tensorflow/tfjs-node-gpu on a GPU host for the native backend)' : ''}`,
      );
      const graph = await PartitionedGraph.open(flags.graph);
      const invoker = createInvoker(graph, flags.transport, { workers: flags.workers });
      const bars = new ProgressBars(!flags.quiet && !flags.json);
      try {
        const result = await trainGraphSage(graph, new DistNeighborSampler(graph, invoker), new FeatureStore(graph), {
          ...d,
          ...modelOptions(flags),
          prefetch: flags.prefetch,
          onEpoch: (stats) => {
            if (flags.json) process.stdout.write(`${JSON.stringify(stats)}\n`);
            else {
              bars.listener({ stage: 'epochs', done: stats.epoch + 1, total: flags.epochs });
              info(
                `epoch ${stats.epoch}: loss ${stats.loss.toFixed(4)}, train ${stats.train_acc.toFixed(3)}, val ${stats.val_acc.toFixed(3)}, test ${stats.test_acc.toFixed(3)}, ${stats.batches_per_s.toFixed(1)} batches/s`,
              );
            }
          },
        });
        bars.stop();
        const { best } = result;
        const summary = {
          summary: true,
          best_epoch: best.epoch,
          val_acc: best.val_acc,
          test_acc: best.test_acc,
          backend,
          epochs: flags.epochs,
        };
        if (flags.save) {
          await saveGraphSage(result.model, flags.save);
          info(`model saved to ${flags.save}`);
        }
        if (flags.json) process.stdout.write(`${JSON.stringify({ ...summary, saved_to: flags.save })}\n`);
        else
          process.stdout.write(
            `best validation accuracy ${best.val_acc.toFixed(3)} at epoch ${best.epoch}: test accuracy ${best.test_acc.toFixed(3)}\n`,
          );
        result.model.dispose();
      } finally {
        bars.stop();
        await invoker.close();
      }
    });
}

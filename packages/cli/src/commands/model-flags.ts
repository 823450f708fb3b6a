import type { Command } from 'commander';
import { integer, positiveNumber } from '../options.ts';
import { parseFanouts } from './sample.ts';

/** The GraphSAGE hyperparameters both training commands take, as flags and as the trainer's options. */
export interface ModelFlags {
  epochs: number;
  fanouts: number[];
  batchSize: number;
  hidden: number;
  lr: number;
  seed: number;
}

/** Adds --epochs, --fanouts, --batch-size (described as `batchItems`), --hidden, --lr and --seed with defaults. */
export function modelFlags(command: Command, defaults: ModelFlags, batchItems: string): Command {
  return command
    .option('--epochs <e>', 'epochs', integer(1, 100_000), defaults.epochs)
    .option('--fanouts <list>', 'neighbors per hop for training (one layer per hop)', parseFanouts, defaults.fanouts)
    .option('--batch-size <b>', batchItems, integer(1, 1 << 24), defaults.batchSize)
    .option('--hidden <h>', 'hidden width', integer(1, 1 << 16), defaults.hidden)
    .option('--lr <lr>', 'Adam learning rate', positiveNumber, defaults.lr)
    .option('--seed <s>', 'random seed', integer(0, 0xffffffff), defaults.seed);
}

export function modelOptions(flags: ModelFlags): ModelFlags {
  const { epochs, fanouts, batchSize, hidden, lr, seed } = flags;
  return { epochs, fanouts, batchSize, hidden, lr, seed };
}

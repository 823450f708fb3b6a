import { isFanoutError } from '@fanout/core';
import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench.ts';
import { registerDev } from './commands/dev.ts';
import { registerGenerate } from './commands/generate.ts';
import { registerInspect } from './commands/inspect.ts';
import { registerPartition } from './commands/partition.ts';
import { registerSample } from './commands/sample.ts';
import { registerSampleLinks } from './commands/sample-links.ts';
import { registerTrain } from './commands/train.ts';
import { registerTrainLinks } from './commands/train-links.ts';

export function buildProgram(): Command {
  const program = new Command('fanout')
    .description('serverless GNN mini-batch sampling over object storage')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerPartition(program);
  registerInspect(program);
  registerGenerate(program);
  registerSample(program);
  registerSampleLinks(program);
  registerBench(program);
  registerTrain(program);
  registerTrainLinks(program);
  registerDev(program);
  const exitOverride = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs the CLI; returns the exit code: 0 ok, 1 a reported error, 2 a usage error. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isFanoutError(error)) {
      process.stderr.write(`fanout: error [${error.code}]: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`fanout: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

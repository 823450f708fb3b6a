import { generateGraph, openStore } from '@fanout/core';
import type { Command } from 'commander';
import { integer } from '../options.ts';
import { info, printJson } from '../output.ts';
import { ProgressBars } from '../progress-bars.ts';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write a power-law (Chung–Lu) graph as an Arrow edge table and node table, for scale tests')
    .requiredOption('--nodes <n>', 'number of nodes', integer(2, 0x7fffffff))
    .requiredOption('--edges <e>', 'number of arcs', integer(0, 0x7fffffff))
    .option('--feat-dim <d>', 'node feature width', integer(0, 1 << 16), 0)
    .option('--classes <c>', 'label classes (features cluster by class)', integer(0, 1 << 16), 0)
    .option('--seed <s>', 'random seed', integer(0, 0xffffffff), 0)
    .option('--weights', 'add a weight column')
    .option('--time', 'add a time column')
    .requiredOption('--out <dir|s3://…>', 'output directory (edges.arrow, nodes.arrow)')
    .option('--json', 'print the result as one JSON object')
    .option('-q, --quiet', 'no progress bars')
    .action(async (flags) => {
      const bars = new ProgressBars(!flags.quiet);
      const started = performance.now();
      try {
        const result = await generateGraph(openStore(flags.out), {
          nodes: flags.nodes,
          edges: flags.edges,
          featDim: flags.featDim,
          classes: flags.classes,
          seed: flags.seed,
          weights: flags.weights,
          time: flags.time,
          onProgress: bars.listener,
        });
        bars.stop();
        const seconds = (performance.now() - started) / 1000;
        if (flags.json) printJson({ ...result, out: flags.out, seconds });
        else info(`wrote ${result.nodes} nodes and ${result.edges} arcs to ${flags.out} in ${seconds.toFixed(1)} s`);
      } finally {
        bars.stop();
      }
    });
}

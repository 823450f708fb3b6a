import { FanoutError, generateGraph, generateHeteroGraph, openStore } from '@fanout/core';
import type { Command } from 'commander';
import { integer } from '../options.ts';
import { info, printJson } from '../output.ts';
import { ProgressBars } from '../progress-bars.ts';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'write a power-law (Chung–Lu) graph as Arrow edge and node tables, for scale tests; typed with --ntypes/--etypes',
    )
    .option('--nodes <n>', 'number of nodes', integer(2, 0x7fffffff))
    .option('--edges <e>', 'number of arcs', integer(0, 0x7fffffff))
    .option('--ntypes <list>', 'heterogeneous: nodes per type, e.g. author=1000,paper=2000', counts)
    .option('--etypes <list>', 'heterogeneous: arcs per edge type, e.g. author:writes:paper=5000', counts)
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
        const typed = flags.ntypes !== undefined || flags.etypes !== undefined;
        if (typed ? !flags.ntypes || !flags.etypes : flags.nodes === undefined || flags.edges === undefined) {
          throw new FanoutError('INVALID_ARGUMENT', 'give --nodes and --edges, or --ntypes and --etypes');
        }
        const store = openStore(flags.out);
        const common = {
          featDim: flags.featDim,
          classes: flags.classes,
          seed: flags.seed,
          weights: flags.weights,
          time: flags.time,
        };
        const result = typed
          ? await generateHeteroGraph(store, { ...common, ntypes: flags.ntypes, etypes: flags.etypes })
          : await generateGraph(store, {
              ...common,
              nodes: flags.nodes,
              edges: flags.edges,
              onProgress: bars.listener,
            });
        bars.stop();
        const seconds = (performance.now() - started) / 1000;
        const sum = (x: number | Record<string, number>) =>
          typeof x === 'number' ? x : Object.values(x).reduce((a, b) => a + b, 0);
        if (flags.json) printJson({ ...result, out: flags.out, seconds });
        else
          info(
            `wrote ${sum(result.nodes)} nodes and ${sum(result.edges)} arcs to ${flags.out} in ${seconds.toFixed(1)} s`,
          );
      } finally {
        bars.stop();
      }
    });
}

/** `a=1,b:c:d=2` → {a: 1, "b:c:d": 2}. */
function counts(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of value.split(',')) {
    const [name, count] = entry.split('=');
    if (!name || !/^\d+$/.test(count ?? '')) {
      throw new FanoutError('INVALID_ARGUMENT', `expected name=count pairs separated by commas, got "${entry}"`);
    }
    out[name.trim()] = Number(count);
  }
  return out;
}

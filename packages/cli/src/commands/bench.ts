import { createInvoker, DistNeighborSampler, PartitionedGraph, randomSeedBatches } from '@fanout/core';
import type { Command } from 'commander';
import { integer } from '../options.ts';
import { printJson } from '../output.ts';
import { fromFlags, type SamplingFlags, samplingFlags } from './sample.ts';

const WARMUP_BATCHES = 5;

interface BenchFlags extends SamplingFlags {
  batches: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function registerBench(program: Command): void {
  const bench = program.command('bench').description('benchmarks');
  samplingFlags(bench.command('sample').description('sampling throughput, measured as the C++ reference measures it'))
    .option('--batch-size <b>', 'seeds per batch', integer(1, 1 << 24), 1024)
    .option('--batches <n>', 'measured batches (after 5 warm-up batches)', integer(1, 1 << 20), 100)
    .option('--json', 'print one JSON object')
    .action(async (flags: BenchFlags) => {
      const graph = await PartitionedGraph.open(flags.graph);
      const { options, transport } = fromFlags(flags);
      const invoker = createInvoker(graph, flags.transport, transport);
      try {
        const sampler = new DistNeighborSampler(graph, invoker);
        // Seeds uniform over all nodes, as the reference draws them; graph loading happens in the warm-up.
        const all = randomSeedBatches(
          graph.manifest.num_nodes,
          flags.batchSize,
          WARMUP_BATCHES + flags.batches,
          flags.seed,
        );
        const batches = all.map((seeds, batchKey) => ({ seeds, batchKey }));
        for await (const output of sampler.sampleBatches(batches.slice(0, WARMUP_BATCHES), options, flags.inFlight)) {
          sampler.recycle(output);
        }
        // A window of `inFlight` batches, each timed from issue to completion, consumed in batch order.
        const latencies: number[] = [];
        let edges = 0;
        const started = performance.now();
        const faultsBefore = process.resourceUsage().minorPageFault;
        const window: { issued: number; output: ReturnType<typeof sampler.sample> }[] = [];
        const settle = async () => {
          const { issued, output } = window.shift()!;
          const sampled = await output;
          edges += sampled.row.length;
          sampler.recycle(sampled);
          latencies.push(performance.now() - issued);
        };
        for (const { seeds, batchKey } of batches.slice(WARMUP_BATCHES)) {
          window.push({ issued: performance.now(), output: sampler.sample(seeds, options, batchKey) });
          if (window.length >= flags.inFlight) await settle();
        }
        while (window.length > 0) await settle();
        const seconds = (performance.now() - started) / 1000;
        const faults = process.resourceUsage().minorPageFault - faultsBefore;
        latencies.sort((a, b) => a - b);
        const result = {
          graph: graph.manifest.graph_name,
          num_parts: graph.numParts,
          transport: invoker.name,
          workers: flags.transport === 'workers' ? (flags.workers ?? Math.min(graph.numParts, 4)) : undefined,
          local_parts: flags.localParts,
          in_flight: flags.inFlight,
          fanouts: flags.fanouts,
          batch_size: flags.batchSize,
          batches: flags.batches,
          edge_ids: flags.edgeIds,
          edges_per_s: edges / seconds,
          batches_per_s: flags.batches / seconds,
          ms_per_batch_p50: percentile(latencies, 50),
          ms_per_batch_p99: percentile(latencies, 99),
          edges_per_batch: edges / flags.batches,
          // Pages the process (worker threads included) faulted in: memory the allocator gave back and took again.
          page_faults_per_batch: faults / flags.batches,
        };
        if (flags.json) printJson(result);
        else
          process.stdout.write(
            `${(result.edges_per_s / 1e6).toFixed(2)} M sampled edges/s, ${result.batches_per_s.toFixed(1)} batches/s, p50 ${result.ms_per_batch_p50.toFixed(1)} ms, p99 ${result.ms_per_batch_p99.toFixed(1)} ms, ${Math.round(result.edges_per_batch)} edges/batch\n`,
          );
      } finally {
        await invoker.close();
      }
    });
}

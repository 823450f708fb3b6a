import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { Xoshiro128 } from '../random/index.ts';
import { graphFromArcs, partitioned } from '../testing/small-graphs.ts';
import { createInvoker, type Invoker } from '../transport/index.ts';
import { DistNeighborSampler } from './dist-neighbor-sampler.ts';
import { HopService } from './hop-service.ts';
import type { SamplerOutput } from './sampler-output.ts';

/** A random graph whose edges carry times (some shared, some negative), and its in-edges by destination. */
function randomTemporalGraph(seed: number, nodes = 60, edges = 600) {
  const random = new Xoshiro128(seed, 'temporal-test');
  const src: number[] = [];
  const dst: number[] = [];
  const time: number[] = [];
  for (let e = 0; e < edges; e++) {
    src.push(random.nextBelow(nodes));
    dst.push(random.nextBelow(nodes));
    time.push(random.nextBelow(50) - 10);
  }
  return { graph: graphFromArcs(src, dst, nodes, `temporal-${seed}`, { time }), src, dst, time };
}

/** Requests always travel to a hop service (no in-thread path): sampleHop, as remote functions run it. */
function requestsOnly(graph: PartitionedGraph): Invoker {
  const service = new HopService();
  service.register(graph);
  return { name: 'requests-only', invoke: (r) => service.handle(r), close: async () => {} };
}

function columns(out: SamplerOutput): number[][] {
  return [[...out.node], [...out.row], [...out.col], [...out.edge!].map(Number), [...out.batch!]];
}

describe('temporal sampling', () => {
  test('no sampled edge is newer than its seed (random graphs, both strategies, any partitioning and transport)', async () => {
    for (const seed of [1, 2, 3]) {
      const { graph, time } = randomTemporalGraph(seed);
      const seeds = [0, 5, 9, 17, 5, 33];
      const seedTime = [40, 0, 25, -5, 10, 39];
      for (const strategy of ['uniform', 'last'] as const) {
        let reference: number[][] | undefined;
        for (const parts of [1, 3]) {
          const pg = await partitioned(graph, parts, seed);
          for (const invoker of [createInvoker(pg, 'inprocess'), requestsOnly(pg)]) {
            const sampler = new DistNeighborSampler(pg, invoker);
            const options = { num_neighbors: [3, 2], seed_time: seedTime, temporal_strategy: strategy, seed: 7 };
            const out = await sampler.sample(seeds, options, 4);
            for (let e = 0; e < out.row.length; e++) {
              const cutoff = seedTime[out.batch![out.col[e]]];
              assert.ok(
                time[Number(out.edge![e])] <= cutoff,
                `edge ${out.edge![e]} at ${time[Number(out.edge![e])]} > ${cutoff}`,
              );
            }
            if (reference) assert.deepEqual(columns(out), reference, `${parts} parts, ${invoker.name}, ${strategy}`);
            else reference = columns(out);
          }
        }
      }
    }
  });

  test('`last` takes the k most recent eligible in-edges', async () => {
    const { graph, src, dst, time } = randomTemporalGraph(9, 30, 400);
    const pg = await partitioned(graph, 2);
    const sampler = new DistNeighborSampler(pg, createInvoker(pg, 'inprocess'));
    const seeds = [0, 1, 2, 3, 4, 5];
    const seedTime = [30, 20, 10, 0, -3, 39];
    const out = await sampler.sample(seeds, { num_neighbors: [4], seed_time: seedTime, temporal_strategy: 'last' });
    seeds.forEach((s, i) => {
      const eligible = time
        .map((t, e) => ({ t, e }))
        .filter(({ t, e }) => dst[e] === s && t <= seedTime[i])
        .sort((a, b) => a.t - b.t || a.e - b.e);
      const expected = eligible.slice(-4).map(({ e }) => e);
      const got = [...out.edge!].map(Number).filter((_, e) => out.col[e] === i);
      assert.deepEqual(got, expected, `seed ${s} at ${seedTime[i]}`);
      for (const e of got) assert.equal(src[e], out.node[out.row[[...out.edge!].map(Number).indexOf(e)]]);
    });
  });

  test('node times: a neighbor is eligible when its own time is not after the seed time', async () => {
    const { graph } = randomTemporalGraph(6);
    graph.etypes[0].edges.time = undefined;
    const nodeTime = Array.from({ length: 60 }, (_, v) => (v * 37) % 50);
    graph.ntypes[0].time = BigInt64Array.from(nodeTime, (t) => BigInt(t));
    let reference: number[][] | undefined;
    for (const parts of [1, 3]) {
      const pg = await partitioned(graph, parts);
      const sampler = new DistNeighborSampler(pg, requestsOnly(pg));
      const seedTime = [20, 35, 5];
      const out = await sampler.sample([1, 2, 3], { num_neighbors: [4, 3], seed_time: seedTime, seed: 2 });
      for (let e = 0; e < out.row.length; e++) {
        assert.ok(nodeTime[out.node[out.row[e]]] <= seedTime[out.batch![out.col[e]]]);
      }
      if (reference) assert.deepEqual(columns(out), reference);
      else reference = columns(out);
    }
  });

  test('time_attr nbr_time on a graph with edge and node times: node times decide, for both strategies', async () => {
    const { graph, src, dst, time } = randomTemporalGraph(11, 40, 500);
    const nodeTime = Array.from({ length: 40 }, (_, v) => (v * 29) % 45);
    graph.ntypes[0].time = BigInt64Array.from(nodeTime, (t) => BigInt(t));
    const seeds = [0, 1, 2, 3, 7, 1];
    const seedTime = [30, 20, 10, 0, 44, 35];
    for (const strategy of ['uniform', 'last'] as const) {
      let reference: number[][] | undefined;
      for (const parts of [1, 3]) {
        const pg = await partitioned(graph, parts);
        assert.deepEqual(pg.manifest.edge_columns['_N:_E:_N'], ['time', 'nbr_time']);
        for (const invoker of [createInvoker(pg, 'inprocess'), requestsOnly(pg)]) {
          const sampler = new DistNeighborSampler(pg, invoker);
          const options = {
            num_neighbors: [3, 2],
            seed_time: seedTime,
            time_attr: 'nbr_time' as const,
            temporal_strategy: strategy,
            seed: 5,
          };
          const out = await sampler.sample(seeds, options, 1);
          const edge = [...out.edge!].map(Number);
          for (let e = 0; e < out.row.length; e++) {
            assert.ok(nodeTime[out.node[out.row[e]]] <= seedTime[out.batch![out.col[e]]], `edge ${edge[e]}`);
          }
          if (strategy === 'last') {
            // Hop 1: each seed takes its 3 in-edges whose sources are most recent by node time (ties: later edge).
            seeds.forEach((s, i) => {
              const expected = time
                .map((_, e) => e)
                .filter((e) => dst[e] === s && nodeTime[src[e]] <= seedTime[i])
                .sort((a, b) => nodeTime[src[a]] - nodeTime[src[b]] || time[a] - time[b] || a - b)
                .slice(-3)
                .sort((a, b) => time[a] - time[b] || a - b);
              const got = edge.slice(0, out.numSampledEdges[0]).filter((_, e) => out.col[e] === i);
              assert.deepEqual(got, expected, `seed ${s} at ${seedTime[i]}`);
            });
          }
          if (reference) assert.deepEqual(columns(out), reference, `${parts} parts, ${invoker.name}, ${strategy}`);
          else reference = columns(out);
        }
      }
    }
    const pg = await partitioned(graph, 1);
    const sampler = new DistNeighborSampler(pg, createInvoker(pg, 'inprocess'));
    const byEdgeTime = await sampler.sample([0, 1], { num_neighbors: [3], seed_time: [30, 20], time_attr: 'time' });
    assert.deepEqual(byEdgeTime, await sampler.sample([0, 1], { num_neighbors: [3], seed_time: [30, 20] }));
    await assert.rejects(
      sampler.sample([0], { num_neighbors: [2], time_attr: 'nbr_time' }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /time_attr needs seed_time/.test(e.message),
    );
    const edgeTimesOnly = await partitioned(randomTemporalGraph(12).graph, 1);
    await assert.rejects(
      new DistNeighborSampler(edgeTimesOnly, createInvoker(edgeTimesOnly, 'inprocess')).sample([0], {
        num_neighbors: [2],
        seed_time: [5],
        time_attr: 'nbr_time',
      }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /has no node times/.test(e.message),
    );
  });

  test('temporal sampling is disjoint; misuse is refused', async () => {
    const { graph } = randomTemporalGraph(4);
    const pg = await partitioned(graph, 1);
    const sampler = new DistNeighborSampler(pg, createInvoker(pg, 'inprocess'));
    const out = await sampler.sample([3, 3], { num_neighbors: [2], seed_time: [10, 20] });
    assert.deepEqual([...out.batch!.subarray(0, 2)], [0, 1]);
    await assert.rejects(sampler.sample([1, 2], { num_neighbors: [2], seed_time: [1] }), (e) =>
      isFanoutError(e, 'INVALID_ARGUMENT'),
    );
    const untimed = await partitioned(graphFromArcs([1, 2], [0, 0], 3), 1);
    await assert.rejects(
      new DistNeighborSampler(untimed, createInvoker(untimed, 'inprocess')).sample([0], {
        num_neighbors: [2],
        seed_time: [5],
      }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /no edge or node times/.test(e.message),
    );
  });
});

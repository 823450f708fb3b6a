import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type ErrorCode, isFanoutError } from '../errors/index.ts';
import { generateHeteroGraph } from '../generate/index.ts';
import { edgeIdOf, type GraphData } from '../graph/index.ts';
import { ingestGraph } from '../ingest/index.ts';
import { LocalStore } from '../storage/index.ts';
import { academicGraph, partitioned } from '../testing/small-graphs.ts';
import { InProcessInvoker } from '../transport/in-process.ts';
import { PartitionRouter } from '../transport/partition-router.ts';
import { WorkerPoolInvoker } from '../transport/worker-pool.ts';
import { HeteroNeighborSampler } from './hetero-neighbor-sampler.ts';
import type { HeteroSamplingOptionsInput } from './options.ts';
import type { HeteroSamplerOutput } from './sampler-output.ts';

const pools: WorkerPoolInvoker[] = [];
after(() => Promise.all(pools.map((p) => p.close())));

const plain = (o: HeteroSamplerOutput) => ({
  node: mapValues(o.node, (v) => [...v]),
  row: mapValues(o.row, (v) => [...v]),
  col: mapValues(o.col, (v) => [...v]),
  edge: o.edge ? mapValues(o.edge, (v) => [...v].map(Number)) : undefined,
  batch: o.batch ? mapValues(o.batch, (v) => [...v]) : undefined,
  num_sampled_nodes: o.numSampledNodes,
  num_sampled_edges: o.numSampledEdges,
});

function mapValues<T, U>(record: Record<string, T>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/** See academicGraph for the arcs. */
const ACADEMIC = academicGraph();

describe('heterogeneous sampling on a hand-built graph', () => {
  test('per type canonical order: each hop expands every edge type in manifest order', async () => {
    const expected = {
      node: { author: [0, 1], paper: [0, 1, 2, 3] },
      row: { 'author:writes:paper': [0, 1, 1], 'paper:cites:paper': [1, 2, 3], 'paper:written_by:author': [0, 0, 1] },
      col: { 'author:writes:paper': [0, 0, 1], 'paper:cites:paper': [0, 1, 1], 'paper:written_by:author': [0, 1, 1] },
      edge: { 'author:writes:paper': [0, 1, 2], 'paper:cites:paper': [0, 1, 2], 'paper:written_by:author': [0, 1, 2] },
      batch: undefined,
      num_sampled_nodes: { author: [0, 2, 0], paper: [1, 1, 2] },
      num_sampled_edges: {
        'author:writes:paper': [2, 1],
        'paper:cites:paper': [1, 2],
        'paper:written_by:author': [0, 3],
      },
    };
    for (const parts of [1, 2, 3]) {
      const pg = await partitioned(ACADEMIC, parts);
      const workers = new WorkerPoolInvoker({ workers: 2 });
      pools.push(workers);
      for (const invoker of [new InProcessInvoker(), workers]) {
        const sampler = new HeteroNeighborSampler(pg, invoker);
        const out = plain(await sampler.sample('paper', [0], { num_neighbors: [-1, -1] }));
        assert.deepEqual(out, expected, `${parts} parts, ${invoker.name}`);
      }
    }
  });

  test('per edge type fanouts: 0 skips an edge type at a hop', async () => {
    const pg = await partitioned(ACADEMIC, 2);
    const sampler = new HeteroNeighborSampler(pg, new InProcessInvoker());
    const out = await sampler.sample('paper', [0], {
      num_neighbors: {
        'author:writes:paper': [-1, 0],
        'paper:cites:paper': [0, -1],
        'paper:written_by:author': [1, 1],
      },
    });
    assert.deepEqual(out.numSampledEdges, {
      'author:writes:paper': [2, 0],
      'paper:cites:paper': [0, 0],
      'paper:written_by:author': [0, 2],
    });
    assert.deepEqual(out.numSampledNodes, { author: [0, 2, 0], paper: [1, 0, 0] });
  });

  test('bad input is a typed error', async () => {
    const pg = await partitioned(ACADEMIC, 2);
    const sampler = new HeteroNeighborSampler(pg, new InProcessInvoker());
    const rejects = (promise: Promise<unknown>, code: ErrorCode, pattern: RegExp) =>
      assert.rejects(promise, (e) => isFanoutError(e, code) && pattern.test(e.message));
    await rejects(sampler.sample('venue', [0], { num_neighbors: [2] }), 'INVALID_ARGUMENT', /author, paper/);
    await rejects(sampler.sample('paper', [4], { num_neighbors: [2] }), 'UNKNOWN_NODE', /paper IDs 0..3/);
    await rejects(
      sampler.sample('paper', [0], { num_neighbors: { 'paper:cites:paper': [2] } }),
      'INVALID_ARGUMENT',
      /no fanouts for author:writes:paper, paper:written_by:author/,
    );
    await rejects(
      sampler.sample('paper', [0], {
        num_neighbors: { 'author:writes:paper': [1], 'paper:cites:paper': [1], 'paper:written_by:author': [1], x: [1] },
      }),
      'INVALID_ARGUMENT',
      /edge type x/,
    );
    await rejects(
      sampler.sample('paper', [0], {
        num_neighbors: { 'author:writes:paper': [1], 'paper:cites:paper': [1, 1], 'paper:written_by:author': [1] },
      }),
      'INVALID_ARGUMENT',
      /same number of hops/,
    );
    await rejects(
      sampler.sample('paper', [0], { num_neighbors: [1], weight_attr: 'weight' }),
      'INVALID_ARGUMENT',
      /has no edge weights/,
    );
  });
});

describe('heterogeneous sampling on a generated graph (3 node types, 4 edge types, reversed)', async () => {
  const raw = await mkdtemp(join(tmpdir(), 'fanout-hetero-'));
  await generateHeteroGraph(new LocalStore(raw), {
    ntypes: { author: 500, paper: 800, venue: 30 },
    etypes: {
      'author:writes:paper': 2500,
      'paper:cites:paper': 3000,
      'paper:published_in:venue': 800,
      'author:affiliated_with:venue': 500,
    },
    seed: 3,
  });
  const graph = await ingestGraph({ input: raw, undirected: true });
  const seeds = [5, 17, 240, 799, 0, 333, 64];
  const optionSets: HeteroSamplingOptionsInput[] = [
    { num_neighbors: [4, 3], seed: 1 },
    { num_neighbors: [3, 2], replace: true, seed: 1 },
    { num_neighbors: [2, 2], disjoint: true, seed: 1 },
    {
      num_neighbors: Object.fromEntries(graph.etypes.map((e, i) => [e.name, [i % 3, (i + 1) % 4 || -1]])),
      seed: 4,
    },
  ];

  test('every sampled edge exists with its types, and each edge type takes min(fanout, degree)', async () => {
    const pg = await partitioned(graph, 3);
    const sampler = new HeteroNeighborSampler(pg, new InProcessInvoker());
    for (const options of [optionSets[0], optionSets[3]]) {
      const out = await sampler.sample('paper', seeds, options, 2);
      assertValidSample(graph, out, options);
    }
  });

  test('the determinism contract: identical output over partition counts, methods and transports', async () => {
    const reference = new HeteroNeighborSampler(await partitioned(graph, 1), new InProcessInvoker());
    const expected = await Promise.all(
      optionSets.map(async (o) => plain(await reference.sample('paper', seeds, o, 7))),
    );
    for (const parts of [2, 5]) {
      const pg = await partitioned(graph, parts, parts);
      const workers = new WorkerPoolInvoker({ workers: 2 });
      pools.push(workers);
      const router = new PartitionRouter(new InProcessInvoker(), workers, [0]);
      for (const invoker of [new InProcessInvoker(), workers, router]) {
        const sampler = new HeteroNeighborSampler(pg, invoker, { maxRequestNodes: 4 });
        for (const [i, o] of optionSets.entries()) {
          const out = plain(await sampler.sample('paper', seeds, o, 7));
          assert.deepEqual(out, expected[i], `${parts} parts, ${invoker.name}, ${JSON.stringify(o)}`);
        }
      }
    }
  });
});

/** Checks types, existence and per-hop counts of a sample against the in-memory graph it came from. */
function assertValidSample(graph: GraphData, out: HeteroSamplerOutput, options: HeteroSamplingOptionsInput): void {
  for (const [e, etype] of graph.etypes.entries()) {
    const arcs = new Map<number, [number, number]>();
    const degree = new Map<number, number>();
    for (let i = 0; i < etype.edges.src.length; i++) {
      arcs.set(edgeIdOf(etype.edges, i), [etype.edges.src[i], etype.edges.dst[i]]);
      degree.set(etype.edges.dst[i], (degree.get(etype.edges.dst[i]) ?? 0) + 1);
    }
    const row = out.row[etype.name];
    const col = out.col[etype.name];
    const edge = out.edge![etype.name];
    for (let i = 0; i < row.length; i++) {
      const arc = arcs.get(Number(edge[i]));
      assert.deepEqual(
        [out.node[etype.srcType][row[i]], out.node[etype.dstType][col[i]]],
        arc,
        `${etype.name} edge ${edge[i]}`,
      );
    }
    const fanouts = Array.isArray(options.num_neighbors) ? options.num_neighbors : options.num_neighbors[etype.name];
    // Hop h expands exactly the destination-type nodes found at hop h - 1 (the seeds at hop 0).
    let first = 0;
    let frontierStart = 0;
    for (const [hop, count] of out.numSampledEdges[etype.name].entries()) {
      const frontierEnd = frontierStart + out.numSampledNodes[etype.dstType][hop];
      const taken = new Map<number, number>();
      for (let i = first; i < first + count; i++) {
        assert.ok(col[i] >= frontierStart && col[i] < frontierEnd, `${etype.name} hop ${hop}: col in the frontier`);
        taken.set(col[i], (taken.get(col[i]) ?? 0) + 1);
      }
      for (let dst = frontierStart; dst < frontierEnd; dst++) {
        const deg = degree.get(out.node[etype.dstType][dst]) ?? 0;
        const k = fanouts[hop];
        assert.equal(taken.get(dst) ?? 0, k < 0 ? deg : Math.min(k, deg), `${etype.name} (${e}) hop ${hop}`);
      }
      first += count;
      frontierStart = frontierEnd;
    }
  }
}

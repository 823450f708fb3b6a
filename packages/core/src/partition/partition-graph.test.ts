import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import { PartitionedGraph } from '../format/index.ts';
import { generateGraph, generateHeteroGraph } from '../generate/index.ts';
import type { GraphData } from '../graph/index.ts';
import { ingestGraph, readArrowTables } from '../ingest/index.ts';
import { LocalStore } from '../storage/index.ts';
import { assertFaithful } from '../testing/assert-faithful.ts';
import { partitionGraph } from './partition-graph.ts';

const CORA = new URL('../../../../data/cora', import.meta.url).pathname;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-partition-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function roundTrip(graph: GraphData, numParts: number, balance: 'nodes' | 'edges' = 'nodes', method = 'random') {
  const out = join(dir, `${graph.name}-${numParts}-${balance}-${method}`);
  await partitionGraph(graph, new LocalStore(out), { numParts, balance, seed: 7, rowsPerBatch: 500, method });
  const pg = await PartitionedGraph.open(out);
  await assertFaithful(graph, pg);
  return pg.manifest;
}

describe('partition round trip', () => {
  test('Cora: 1, 3 and 8 parts', async () => {
    const cora = await ingestGraph({ input: CORA });
    assert.equal(cora.ntypes[0].numNodes, 2708);
    assert.equal(cora.etypes[0].edges.src.length, 10556);
    for (const parts of [1, 3, 8]) {
      const m = await roundTrip(cora, parts);
      const sizes = m.stats.part_nodes;
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, 'random split balances nodes exactly');
      if (parts === 1) assert.equal(m.stats.edge_cut, 0);
      const multilevel = await roundTrip(cora, parts, 'nodes', 'multilevel');
      assert.equal(multilevel.part_method, 'multilevel');
    }
  });

  test('Cora symmetrized, balanced by arcs', async () => {
    const cora = await ingestGraph({ input: CORA, undirected: true });
    // Cora lists both directions already: symmetrization adds nothing, and keeps the lower IDs.
    assert.equal(cora.etypes[0].edges.src.length, 10556);
    assert.ok(cora.etypes[0].edges.eid!.every((id) => id < 10556));
    const m = await roundTrip(cora, 4, 'edges');
    const arcs = m.stats.part_edges;
    assert.ok(Math.max(...arcs) / (m.num_edges / 4) < 1.1, `arcs balanced: ${arcs}`);
  });

  test('generated power-law graphs with weight, time and node data: 1, 3 and 8 parts', async () => {
    const raw = join(dir, 'generated');
    await generateGraph(new LocalStore(raw), {
      nodes: 3000,
      edges: 20_000,
      featDim: 5,
      classes: 3,
      weights: true,
      time: true,
      seed: 3,
    });
    const graph = await readArrowTables(new LocalStore(raw), 'generated');
    assert.ok(graph.etypes[0].edges.weight && graph.etypes[0].edges.time);
    for (const parts of [1, 3, 8]) {
      const m = await roundTrip(graph, parts);
      assert.deepEqual(m.edge_columns['_N:_E:_N'], ['weight', 'time']);
    }
    const undirected = await ingestGraph({ input: raw, undirected: true, name: 'generated-u' });
    await roundTrip(undirected, 3);
  });

  test('types are first-class: two node types, two edge types, node time as nbr_time, edge features', async () => {
    const graph: GraphData = {
      name: 'typed',
      undirected: false,
      ntypes: [
        { name: 'author', numNodes: 5, features: new Map(), masks: {}, time: BigInt64Array.from([5n, 1n, 4n, 2n, 3n]) },
        {
          name: 'paper',
          numNodes: 4,
          features: new Map([['feat', { dim: 2, data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]) }]]),
          label: Int32Array.from([1, 0, 1, 1]),
          masks: { train_mask: Uint8Array.from([1, 0, 0, 1]) },
        },
      ],
      etypes: [
        {
          name: 'author:writes:paper',
          srcType: 'author',
          dstType: 'paper',
          numInputEdges: 6,
          edges: {
            src: Int32Array.from([0, 1, 2, 3, 4, 0]),
            dst: Int32Array.from([0, 0, 1, 2, 3, 3]),
            features: new Map([['w', { dim: 1, data: Float32Array.from([1, 2, 3, 4, 5, 6]) }]]),
          },
        },
        {
          name: 'paper:cites:paper',
          srcType: 'paper',
          dstType: 'paper',
          numInputEdges: 3,
          edges: { src: Int32Array.from([1, 2, 3]), dst: Int32Array.from([0, 0, 1]), features: new Map() },
        },
      ],
    };
    for (const parts of [1, 2, 3]) {
      const m = await roundTrip(graph, parts);
      assert.deepEqual(Object.keys(m.ntypes), ['author', 'paper']);
      assert.deepEqual(m.edge_columns['author:writes:paper'], ['nbr_time']);
    }
  });
});

describe('heterogeneous graphs', () => {
  test('a generated graph of 3 node types and 4 edge types round-trips with every per-type count', async () => {
    const raw = join(dir, 'hetero-raw');
    const spec = {
      ntypes: { author: 400, paper: 600, venue: 25 },
      etypes: {
        'author:writes:paper': 1800,
        'paper:cites:paper': 2400,
        'paper:published_in:venue': 600,
        'author:affiliated_with:venue': 350,
      },
      featDim: 4,
      classes: 3,
      seed: 5,
    };
    await generateHeteroGraph(new LocalStore(raw), spec);
    const graph = await ingestGraph({ input: raw, name: 'hetero' });
    assert.deepEqual(Object.fromEntries(graph.ntypes.map((t) => [t.name, t.numNodes])), spec.ntypes);
    assert.deepEqual(Object.fromEntries(graph.etypes.map((e) => [e.name, e.edges.src.length])), spec.etypes);
    for (const [parts, method] of [
      [1, 'random'],
      [3, 'random'],
      [4, 'multilevel'],
    ] as const) {
      const m = await roundTrip(graph, parts, 'nodes', method);
      for (const [ntype, n] of Object.entries(spec.ntypes)) {
        assert.equal(m.node_map[ntype][parts - 1][1], n, `${ntype} nodes over all parts`);
        assert.equal(
          m.parts.reduce((sum, part) => sum + part.num_nodes[ntype], 0),
          n,
        );
        assert.deepEqual(
          m.node_features[ntype].map((f) => f.name),
          ['feat', 'label', 'train_mask', 'val_mask', 'test_mask'],
        );
      }
      for (const [etype, arcs] of Object.entries(spec.etypes)) {
        assert.equal(
          m.parts.reduce((sum, part) => sum + part.num_edges[etype], 0),
          arcs,
          `${etype} arcs over all parts`,
        );
      }
    }
  });

  test('--undirected symmetrizes edge types within a type and adds rev_ types between two, as PyG ToUndirected', async () => {
    const raw = join(dir, 'hetero-raw-u');
    await generateHeteroGraph(new LocalStore(raw), {
      ntypes: { user: 50, item: 80 },
      etypes: { 'user:rates:item': 300, 'user:follows:user': 120 },
      seed: 2,
    });
    const graph = await ingestGraph({ input: raw, undirected: true });
    const names = graph.etypes.map((e) => e.name);
    assert.deepEqual(names, ['user:follows:user', 'user:rates:item', 'item:rev_rates:user']);
    const rates = graph.etypes[1].edges;
    const rev = graph.etypes[2].edges;
    assert.deepEqual(rev.src, rates.dst);
    assert.deepEqual(rev.dst, rates.src);
    assert.ok(graph.etypes[0].edges.src.length > 120, 'follows gained reverse arcs');
    await roundTrip(graph, 2);
  });
});

describe('partition input checks', () => {
  test('more parts than nodes, or zero parts, is a clear error', async () => {
    const cora = await ingestGraph({ input: CORA });
    await assert.rejects(
      partitionGraph(cora, new LocalStore(join(dir, 'x')), { numParts: 3000 }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /at most 2708 parts/.test(e.message),
    );
    await assert.rejects(partitionGraph(cora, new LocalStore(join(dir, 'x')), { numParts: 0 }), (e) =>
      isFanoutError(e, 'INVALID_ARGUMENT'),
    );
    await assert.rejects(
      partitionGraph(cora, new LocalStore(join(dir, 'x')), { numParts: 2, method: 'nope' }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /unknown partition method/.test(e.message),
    );
  });

  test('isolated nodes (IDs in no edge) are kept', async () => {
    const graph: GraphData = {
      name: 'isolated',
      undirected: false,
      ntypes: [{ name: '_N', numNodes: 10, features: new Map(), masks: {} }],
      etypes: [
        {
          name: '_N:_E:_N',
          srcType: '_N',
          dstType: '_N',
          numInputEdges: 2,
          edges: { src: Int32Array.from([0, 1]), dst: Int32Array.from([1, 2]), features: new Map() },
        },
      ],
    };
    const m = await roundTrip(graph, 4);
    assert.equal(m.num_nodes, 10);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GraphData } from '../../graph/index.ts';
import { ingestGraph } from '../../ingest/index.ts';
import { Xoshiro128 } from '../../random/index.ts';
import { graphFromArcs, randomArcs } from '../../testing/small-graphs.ts';
import { contract, matchHeavyEdges, propagateLabels, sizeContraction } from './coarsen.ts';
import { finestGrouping, groupNodes } from './grouping.ts';
import { undirectedStructure, type WeightedGraph } from './weighted-graph.ts';
import { Workspace } from './workspace.ts';

const DATA = new URL('../../../../../data/', import.meta.url).pathname;

function structure(graph: GraphData): WeightedGraph {
  const n = graph.ntypes[0].numNodes;
  return undirectedStructure(graph, new Int32Array(n).fill(1), 1);
}

/** Row v as "neighbor:weight" strings, in stored order. */
function row(g: WeightedGraph, v: number): string[] {
  const out: string[] = [];
  for (let j = g.indptr[v]; j < g.indptr[v + 1]; j++) out.push(`${g.adj[j]}:${g.adjWeight[j]}`);
  return out;
}

/** Every edge stored both ways with the same weight, no self-loops, no repeats; arrays sized exactly. */
function assertWellFormed(g: WeightedGraph): void {
  assert.equal(g.adj.length, g.indptr[g.n]);
  assert.equal(g.adjWeight.length, g.indptr[g.n]);
  const weightOf = new Map<string, number>();
  for (let v = 0; v < g.n; v++) {
    const seen = new Set<number>();
    for (let j = g.indptr[v]; j < g.indptr[v + 1]; j++) {
      assert.notEqual(g.adj[j], v, 'self-loop');
      assert.ok(!seen.has(g.adj[j]), 'repeated neighbor');
      seen.add(g.adj[j]);
      weightOf.set(`${v}-${g.adj[j]}`, g.adjWeight[j]);
    }
  }
  for (const [key, w] of weightOf) {
    const [v, u] = key.split('-');
    assert.equal(weightOf.get(`${u}-${v}`), w, `edge ${key} is not stored both ways alike`);
  }
}

describe('the partitioner’s weighted structure', () => {
  test('directed arcs: each pair once per row, weighing its arcs in both directions; self-loops dropped', () => {
    // 0→1 twice, 1→0 once, 1→2, 2→2 (self-loop), 3 isolated.
    const g = structure(graphFromArcs([0, 0, 1, 1, 2], [1, 1, 0, 2, 2], 4));
    assertWellFormed(g);
    assert.deepEqual(row(g, 0), ['1:3']);
    assert.deepEqual(row(g, 1), ['0:3', '2:1']);
    assert.deepEqual(row(g, 2), ['1:1']);
    assert.deepEqual(row(g, 3), []);
  });

  test('an --undirected graph counts each direction once: the same rows, every weight halved', async () => {
    const directed = await ingestGraph({ input: `${DATA}cora` });
    const undirected = await ingestGraph({ input: `${DATA}cora`, undirected: true });
    const both = structure({ ...undirected, undirected: false }); // its arcs taken both ways
    const once = structure(undirected);
    assertWellFormed(once);
    assert.deepEqual(once.adj, both.adj);
    assert.deepEqual(
      Array.from(once.adjWeight, (w) => 2 * w),
      Array.from(both.adjWeight),
    );
    assert.equal(once.adj.length, structure(directed).adj.length);
  });

  test('arrays as narrow as the level allows: two-byte IDs up to 65,536 nodes, weights by the heaviest edge', () => {
    const { src, dst } = randomArcs(2000, 300, 7);
    const small = structure(graphFromArcs(src, dst, 300));
    assert.ok(small.adj instanceof Uint16Array);
    assert.ok(small.adjWeight instanceof Uint8Array);
    const wide = structure(graphFromArcs([0, 70_000], [70_001, 0], 70_002));
    assert.ok(wide.adj instanceof Int32Array);
    assert.deepEqual(row(wide, 0), ['70001:1', '70000:1']);
    const heavy = structure(graphFromArcs(new Array(300).fill(0), new Array(300).fill(1), 2));
    assert.ok(heavy.adjWeight instanceof Uint16Array);
    assert.deepEqual(row(heavy, 0), ['1:300']);
  });

  // Pairs (a matching) merge in one pass into bound-sized arrays, cut down afterwards; larger clusters count first.
  for (const size of [2, 3]) {
    test(`contraction of clusters of ${size} merges parallel edges into exactly sized arrays, keeping every cut weight`, () => {
      const { src, dst } = randomArcs(3000, 400, 11);
      const fine = structure(graphFromArcs(src, dst, 400));
      const cluster = Int32Array.from({ length: 400 }, (_, v) => v - (v % size)); // {0,1,2}, {3,4,5}, … for 3
      const ws = new Workspace();
      const grouping = groupNodes(cluster, ws);
      const coarse = contract(fine, sizeContraction(fine, grouping, ws), ws);
      const coarseOf = grouping.groupOf;
      assertWellFormed(coarse);
      assert.equal(coarse.n, Math.ceil(400 / size));
      // Weight between two coarse nodes = the fine weights between their members.
      const expected = new Map<string, number>();
      for (let v = 0; v < fine.n; v++) {
        for (let j = fine.indptr[v]; j < fine.indptr[v + 1]; j++) {
          const [a, b] = [coarseOf[v], coarseOf[fine.adj[j]]];
          if (a !== b) expected.set(`${a}-${b}`, (expected.get(`${a}-${b}`) ?? 0) + fine.adjWeight[j]);
        }
      }
      const actual = new Map<string, number>();
      for (let c = 0; c < coarse.n; c++)
        for (const e of row(coarse, c)) actual.set(`${c}-${e.split(':')[0]}`, +e.split(':')[1]);
      assert.deepEqual(actual, expected);
      assert.ok(coarse.adjWeight instanceof Uint8Array);
      assert.equal(
        coarse.nodeWeight.reduce((s, w) => s + w, 0),
        400,
      );
    });
  }

  for (const undirected of [false, true]) {
    test(`a coarse level built from the ${undirected ? '--undirected ' : ''}graph through its grouping is the contraction of the levels in between`, () => {
      const { src, dst } = randomArcs(6000, 700, 5);
      const graph = { ...graphFromArcs(src, dst, 700), undirected };
      const ws = new Workspace();
      const rng = new Xoshiro128(1, 'test');
      const levels = [undirectedStructure(graph, new Int32Array(700).fill(1), 1, ws)];
      const maps: Int32Array[] = [];
      // A matching, then label propagation, then a matching: pairs and clusters, each row order depending on the last.
      for (const clusters of [false, true, false]) {
        const finer = levels[levels.length - 1];
        const cluster = clusters ? propagateLabels(finer, 12, rng, ws) : matchHeavyEdges(finer, 12, rng, ws);
        const grouping = groupNodes(cluster, ws);
        levels.push(contract(finer, sizeContraction(finer, grouping, ws), ws));
        maps.push(grouping.groupOf);
      }
      for (let level = 1; level < levels.length; level++) {
        const grouping = finestGrouping(maps.slice(0, level), ws)!;
        const built = undirectedStructure(graph, levels[level].nodeWeight, 1, ws, grouping);
        assert.equal(built.n, levels[level].n);
        assert.deepEqual([...built.indptr], [...levels[level].indptr], `level ${level} indptr`);
        assert.deepEqual([...built.adj], [...levels[level].adj], `level ${level} adjacency, in the same order`);
        assert.deepEqual([...built.adjWeight], [...levels[level].adjWeight], `level ${level} weights`);
      }
      assert.ok(levels[3].n < levels[1].n / 2, 'the levels coarsen');
    });
  }
});

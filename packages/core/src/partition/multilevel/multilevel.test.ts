import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateGraph } from '../../generate/index.ts';
import type { GraphData } from '../../graph/index.ts';
import { ingestGraph, readArrowTables } from '../../ingest/index.ts';
import { LocalStore } from '../../storage/index.ts';
import { graphFromArcs } from '../../testing/small-graphs.ts';
import type { AssignOptions } from '../assignment.ts';
import { randomAssigner } from '../assignment.ts';
import { multilevelAssigner } from './multilevel.ts';

const DATA = new URL('../../../../../data/', import.meta.url).pathname;

function cutRatio(graph: GraphData, part: Int32Array): number {
  const { src, dst } = graph.etypes[0].edges;
  let cut = 0;
  for (let i = 0; i < src.length; i++) if (part[src[i]] !== part[dst[i]]) cut++;
  return cut / src.length;
}

/** Largest part's weight over the average, for a weight per node. */
function imbalance(part: Int32Array, k: number, weight: (v: number) => number): number {
  const sums = new Float64Array(k);
  let total = 0;
  for (let v = 0; v < part.length; v++) {
    sums[part[v]] += weight(v);
    total += weight(v);
  }
  return Math.max(...sums) / (total / k);
}

function run(graph: GraphData, options: Partial<AssignOptions> & { numParts: number }): Int32Array {
  return multilevelAssigner(graph, { seed: 0, balance: 'nodes', ...options }).get('_N')!;
}

describe('multilevel partitioning', () => {
  test('real graphs: cuts far fewer edges than random, within the balance limit, the same for the same seed', async () => {
    const graphs = [
      await ingestGraph({ input: `${DATA}cora` }),
      await ingestGraph({ input: `${DATA}ego-twitter.txt.gz`, undirected: true }),
    ];
    for (const graph of graphs) {
      for (const k of [4, 16]) {
        const part = run(graph, { numParts: k, seed: 3 });
        const random = randomAssigner(graph, { numParts: k, seed: 3, balance: 'nodes' }).get('_N')!;
        assert.ok(
          cutRatio(graph, part) < 0.5 * cutRatio(graph, random),
          `${graph.name} k=${k}: cut ${cutRatio(graph, part)} vs random ${cutRatio(graph, random)}`,
        );
        assert.ok(
          imbalance(part, k, () => 1) <= 1.03 + 1e-9,
          `${graph.name} k=${k}: imbalance ${imbalance(part, k, () => 1)}`,
        );
        assert.deepEqual(run(graph, { numParts: k, seed: 3 }), part, 'deterministic for a seed');
      }
    }
  });

  test('balance by stored arcs and by training nodes, with a custom imbalance', async () => {
    const cora = await ingestGraph({ input: `${DATA}cora` });
    const indeg = new Int32Array(cora.ntypes[0].numNodes);
    for (const d of cora.etypes[0].edges.dst) indeg[d]++;
    const byEdges = run(cora, { numParts: 4, balance: 'edges', imbalance: 1.05 });
    assert.ok(imbalance(byEdges, 4, (v) => 1 + indeg[v]) <= 1.05 + 1e-9);
    const train = cora.ntypes[0].masks.train_mask!;
    const byTrain = run(cora, { numParts: 4, balance: 'train' });
    assert.ok(imbalance(byTrain, 4, () => 1) <= 1.03 + 1e-9, 'nodes balanced');
    // 140 training nodes over 4 parts: each part within 3 % of 35, or one node over.
    assert.ok(
      imbalance(byTrain, 4, (v) => train[v]) <= Math.max(1.03, 36 / 35) + 1e-9,
      `train balanced: ${imbalance(byTrain, 4, (v) => train[v])}`,
    );
  });

  test('generated power-law graphs stay balanced', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/fanout-ml-`);
    await generateGraph(new LocalStore(dir), { nodes: 20_000, edges: 200_000, seed: 4 });
    const graph = await readArrowTables(new LocalStore(dir), 'generated');
    for (const k of [3, 8, 64]) assert.ok(imbalance(run(graph, { numParts: k }), k, () => 1) <= 1.03 + 1e-9, `k=${k}`);
  });

  test('disconnected components and isolated nodes, one part, and more parts than components', () => {
    // Five 6-cliques and 40 isolated nodes.
    const src: number[] = [];
    const dst: number[] = [];
    for (let c = 0; c < 5; c++)
      for (let a = 0; a < 6; a++)
        for (let b = 0; b < 6; b++)
          if (a !== b) {
            src.push(6 * c + a);
            dst.push(6 * c + b);
          }
    const graph = graphFromArcs(src, dst, 70, 'cliques');
    const five = run(graph, { numParts: 5, imbalance: 1.5 });
    assert.equal(cutRatio(graph, five), 0, 'each clique in one part');
    assert.ok(imbalance(five, 5, () => 1) <= 1.5);
    assert.deepEqual([...run(graph, { numParts: 1 })], new Array(70).fill(0));
    const seven = run(graph, { numParts: 7 });
    assert.equal(new Set(seven).size, 7);
    assert.ok(imbalance(seven, 7, () => 1) <= 1.03 * 1 + 1 / 10 + 1e-9, 'within one node of the limit');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { graphFromArcs, partitioned } from '../testing/small-graphs.ts';
import { createInvoker, type Invoker } from '../transport/index.ts';
import { DistNeighborSampler } from './dist-neighbor-sampler.ts';
import { HopService } from './hop-service.ts';

// A star: node 0's in-neighbors 1..5 with weights 1, 2, 3, 4 and 0; the rest of the graph gives the partitions work.
const WEIGHTS = [1, 2, 3, 4, 0];
function star() {
  const src = [1, 2, 3, 4, 5];
  const dst = [0, 0, 0, 0, 0];
  const weight = [...WEIGHTS];
  for (let v = 6; v < 40; v++) {
    src.push(v, (v * 7) % 40);
    dst.push((v * 3) % 40, v);
    weight.push(1 + (v % 5), 0.5);
  }
  return graphFromArcs(src, dst, 40, 'weighted-star', { weight });
}

/** Requests always travel to a hop service (no in-thread path): sampleHop, as remote functions run it. */
function requestsOnly(graph: PartitionedGraph): Invoker {
  const service = new HopService();
  service.register(graph);
  return { name: 'requests-only', invoke: (r) => service.handle(r), close: async () => {} };
}

/** How often each of node 0's neighbors is drawn over `batches` batch keys. */
async function counts(sampler: DistNeighborSampler, k: number, replace: boolean, batches: number) {
  const drawn = new Map<number, number>();
  for (let b = 0; b < batches; b++) {
    const out = await sampler.sample([0], { num_neighbors: [k], replace, weight_attr: 'weight' }, b);
    for (let e = 0; e < out.row.length; e++) {
      const neighbor = out.node[out.row[e]];
      drawn.set(neighbor, (drawn.get(neighbor) ?? 0) + 1);
    }
  }
  return drawn;
}

describe('weighted sampling', () => {
  test('with replacement, draws are proportional to weight (chi-square) and weight 0 is never drawn', async () => {
    const graph = await partitioned(star(), 1);
    const drawn = await counts(new DistNeighborSampler(graph, createInvoker(graph, 'inprocess')), 10, true, 1000);
    assert.equal(drawn.get(5), undefined);
    const total = 10_000;
    const W = 10;
    let chi2 = 0;
    for (let j = 0; j < 4; j++) {
      const expected = (total * WEIGHTS[j]) / W;
      chi2 += ((drawn.get(j + 1) ?? 0) - expected) ** 2 / expected;
    }
    assert.ok(chi2 < 16.27, `chi-square ${chi2.toFixed(2)} with 3 degrees of freedom (p = 0.001 bound: 16.27)`);
  });

  test('without replacement, inclusion frequencies match exact successive-sampling probabilities', async () => {
    const graph = await partitioned(star(), 1);
    const batches = 4000;
    const drawn = await counts(new DistNeighborSampler(graph, createInvoker(graph, 'inprocess')), 2, false, batches);
    const w = WEIGHTS.slice(0, 4);
    const W = w.reduce((a, b) => a + b, 0);
    for (let j = 0; j < 4; j++) {
      // First pick j, or first pick a ≠ j and then j among the rest.
      let p = w[j] / W;
      for (let a = 0; a < 4; a++) if (a !== j) p += (w[a] / W) * (w[j] / (W - w[a]));
      const seen = (drawn.get(j + 1) ?? 0) / batches;
      const sigma = Math.sqrt((p * (1 - p)) / batches);
      assert.ok(Math.abs(seen - p) < 4 * sigma, `neighbor ${j + 1}: ${seen.toFixed(4)} vs exact ${p.toFixed(4)}`);
    }
    assert.equal(drawn.get(5), undefined);
  });

  test('fewer positive weights than the fanout: every positive one, never a zero', async () => {
    const graph = await partitioned(star(), 1);
    const sampler = new DistNeighborSampler(graph, createInvoker(graph, 'inprocess'));
    for (const k of [4, 7, -1]) {
      const out = await sampler.sample([0], { num_neighbors: [k], weight_attr: 'weight' });
      assert.deepEqual([...out.node.subarray(1)].sort(), [1, 2, 3, 4]);
    }
  });

  test('the same sample for any partition count and through hop requests (the determinism contract)', async () => {
    const data = star();
    const seeds = [0, 7, 13, 21, 33];
    let reference: number[][] | undefined;
    for (const parts of [1, 3]) {
      const graph = await partitioned(data, parts);
      for (const invoker of [createInvoker(graph, 'inprocess'), requestsOnly(graph)]) {
        const sampler = new DistNeighborSampler(graph, invoker);
        const result: number[][] = [];
        for (const replace of [false, true]) {
          const out = await sampler.sample(
            seeds,
            { num_neighbors: [3, 2], replace, weight_attr: 'weight', seed: 4 },
            2,
          );
          result.push([...out.node], [...out.row], [...out.col], [...out.edge!].map(Number));
        }
        if (reference) assert.deepEqual(result, reference, `${parts} parts, ${invoker.name}`);
        else reference = result;
      }
    }
  });

  test('weight_attr on a graph without weights is refused', async () => {
    const graph = await partitioned(graphFromArcs([1, 2], [0, 0], 3), 1);
    const sampler = new DistNeighborSampler(graph, createInvoker(graph, 'inprocess'));
    await assert.rejects(
      sampler.sample([0], { num_neighbors: [2], weight_attr: 'weight' }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /no edge weights/.test(e.message),
    );
  });
});

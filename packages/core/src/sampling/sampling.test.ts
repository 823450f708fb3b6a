import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import { plainSample as plain } from '../testing/plain-sample.ts';
import { graphFromArcs, partitioned, randomArcs } from '../testing/small-graphs.ts';
import { InProcessInvoker } from '../transport/in-process.ts';
import { PartitionRouter } from '../transport/partition-router.ts';
import { WorkerPoolInvoker } from '../transport/worker-pool.ts';
import { DistNeighborSampler } from './dist-neighbor-sampler.ts';
import { toBlocks } from './sampler-output.ts';

const pools: WorkerPoolInvoker[] = [];
after(() => Promise.all(pools.map((p) => p.close())));

/**
 *   1 → 0 (e0)   2 → 0 (e1)   3 → 1 (e2)   0 → 1 (e3)   4 → 2 (e4)   5 → 3 (e5)   2 → 3 (e6)
 * Node 5 has no in-edges.
 */
const SMALL = graphFromArcs([1, 2, 3, 0, 4, 5, 2], [0, 0, 1, 1, 2, 3, 3], 6);

describe('sampling semantics on a hand-built graph', () => {
  test('canonical order: seeds, then new nodes by first edge; edges by hop, destination, row order', async () => {
    for (const parts of [1, 2, 3]) {
      const pg = await partitioned(SMALL, parts);
      const sampler = new DistNeighborSampler(pg, new InProcessInvoker());
      const out = plain(await sampler.sample([0], { num_neighbors: [-1, -1] }));
      assert.deepEqual(
        out,
        {
          node: [0, 1, 2, 3, 4],
          row: [1, 2, 3, 0, 4],
          col: [0, 0, 1, 1, 2],
          edge: [0, 1, 2, 3, 4],
          batch: undefined,
          num_sampled_nodes: [1, 2, 2],
          num_sampled_edges: [2, 3],
        },
        `${parts} parts`,
      );
    }
  });

  test('a node is expanded once, at the hop after it is first found; a seed without neighbors is valid', async () => {
    const pg = await partitioned(SMALL, 2);
    const sampler = new DistNeighborSampler(pg, new InProcessInvoker());
    // Hop 1 expands the seeds 1 and 5 (none); hop 2 expands 3 and 0, whose neighbors 5 and 1 are known already;
    // hop 3 expands only 2, the one node hop 2 found.
    const out = plain(await sampler.sample([1, 5], { num_neighbors: [-1, -1, -1] }));
    assert.deepEqual(out, {
      node: [1, 5, 3, 0, 2, 4],
      row: [2, 3, 1, 4, 0, 4, 5],
      col: [0, 0, 2, 2, 3, 3, 4],
      edge: [2, 3, 5, 6, 0, 1, 4],
      batch: undefined,
      num_sampled_nodes: [2, 2, 1, 1],
      num_sampled_edges: [2, 4, 1],
    });
    const empty = plain(await sampler.sample([5], { num_neighbors: [3, 3] }));
    assert.deepEqual(empty, {
      node: [5],
      row: [],
      col: [],
      edge: [],
      batch: undefined,
      num_sampled_nodes: [1, 0, 0],
      num_sampled_edges: [0, 0],
    });
  });

  test('disjoint: one tree per seed, with the batch vector', async () => {
    const pg = await partitioned(SMALL, 2);
    const sampler = new DistNeighborSampler(pg, new InProcessInvoker());
    const out = plain(await sampler.sample([0, 1, 0], { num_neighbors: [-1], disjoint: true }));
    assert.deepEqual(out.node, [0, 1, 0, 1, 2, 3, 0, 1, 2]);
    assert.deepEqual(out.batch, [0, 1, 2, 0, 0, 1, 1, 2, 2]);
    assert.deepEqual(out.row, [3, 4, 5, 6, 7, 8]);
    assert.deepEqual(out.col, [0, 0, 1, 1, 2, 2]);
  });

  test('blocks follow trim_to_layer: layer l sees hops 1..L-l+1', async () => {
    const pg = await partitioned(SMALL, 1);
    const out = await new DistNeighborSampler(pg, new InProcessInvoker()).sample([0], { num_neighbors: [-1, -1] });
    const [first, second] = toBlocks(out);
    assert.deepEqual(
      { ...first, row: [...first.row], col: [...first.col] },
      { numSrcNodes: 5, numDstNodes: 3, row: [1, 2, 3, 0, 4], col: [0, 0, 1, 1, 2] },
    );
    assert.deepEqual(
      { ...second, row: [...second.row], col: [...second.col] },
      { numSrcNodes: 3, numDstNodes: 1, row: [1, 2], col: [0, 0] },
    );
    assert.equal(toBlocks(out, 1)[0].row.length, 2);
    assert.throws(() => toBlocks(out, 3), RangeError);
  });

  test('without replacement, a fanout at or above the degree returns each neighbor once, in row order', async () => {
    const pg = await partitioned(SMALL, 1);
    const out = plain(await new DistNeighborSampler(pg, new InProcessInvoker()).sample([3], { num_neighbors: [5] }));
    assert.deepEqual(out.edge, [5, 6]);
  });

  test('batch key and seed change the draw; the same ones repeat it', async () => {
    const star = await partitioned(
      graphFromArcs(
        Array.from({ length: 30 }, (_, i) => i + 1),
        new Array(30).fill(0),
        31,
        'star',
      ),
      1,
    );
    const sampler = new DistNeighborSampler(star, new InProcessInvoker());
    const draw = async (batchKey: number, seed: number) => [
      ...(await sampler.sample([0], { num_neighbors: [5], seed }, batchKey)).edge!,
    ];
    assert.deepEqual(await draw(3, 1), await draw(3, 1));
    assert.notDeepEqual(await draw(3, 1), await draw(4, 1));
    assert.notDeepEqual(await draw(3, 1), await draw(3, 2));
  });
});

describe('sampling statistics', () => {
  /** Upper 0.1 % point of the chi-square distribution (Wilson–Hilferty). */
  const chiSquareCritical = (df: number) => df * (1 - 2 / (9 * df) + 3.09 * Math.sqrt(2 / (9 * df))) ** 3;
  const chiSquare = (observed: number[], expected: number) =>
    observed.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
  const DEGREE = 20;
  const TRIALS = 3000;

  async function inclusionCounts(fanout: number, replace: boolean) {
    const graph = graphFromArcs(
      Array.from({ length: DEGREE }, (_, i) => i + 1),
      new Array(DEGREE).fill(0),
      DEGREE + 1,
      'star',
    );
    const sampler = new DistNeighborSampler(await partitioned(graph, 1), new InProcessInvoker());
    const counts = new Array(DEGREE).fill(0);
    let edges = 0;
    for (let t = 0; t < TRIALS; t++) {
      const out = await sampler.sample([0], { num_neighbors: [fanout], replace, seed: 7 }, t);
      for (const r of out.row) counts[out.node[r] - 1]++;
      edges += out.row.length;
    }
    return { counts, edges };
  }

  test('without replacement: each neighbor is included with frequency k/d', async () => {
    const { counts, edges } = await inclusionCounts(5, false);
    assert.equal(edges, 5 * TRIALS);
    const stat = chiSquare(counts, (TRIALS * 5) / DEGREE);
    assert.ok(stat < chiSquareCritical(DEGREE - 1), `chi-square ${stat.toFixed(1)} (counts ${counts})`);
  });

  test('with replacement: k draws whatever the degree, counts multinomial', async () => {
    for (const k of [5, 35]) {
      const { counts, edges } = await inclusionCounts(k, true);
      assert.equal(edges, k * TRIALS);
      const stat = chiSquare(counts, (TRIALS * k) / DEGREE);
      assert.ok(stat < chiSquareCritical(DEGREE - 1), `k=${k}: chi-square ${stat.toFixed(1)}`);
    }
  });
});

describe('determinism across partitionings and transports', () => {
  test('Cora-sized random graph: 1, 2, 4, 7 parts × in-process and workers × options give one sample', async () => {
    const { src, dst } = randomArcs(6000, 1500, 12345);
    const graph = graphFromArcs(src, dst, 1500, 'random');
    const seeds = [3, 77, 1400, 999, 0, 512];
    const optionSets = [
      { num_neighbors: [4, 3, 2], seed: 9 },
      { num_neighbors: [3, -1], replace: true, seed: 9 },
      { num_neighbors: [2, 2], disjoint: true, seed: 9 },
    ];
    const reference = await partitioned(graph, 1);
    const expected = await Promise.all(
      optionSets.map(async (o) =>
        plain(
          await new DistNeighborSampler(reference, new InProcessInvoker()).sample(
            [...seeds, 3].slice(0, o.disjoint ? 7 : 6),
            o,
            11,
          ),
        ),
      ),
    );
    for (const parts of [2, 4, 7]) {
      const pg = await partitioned(graph, parts, parts);
      const workers = new WorkerPoolInvoker({ workers: 3 });
      pools.push(workers);
      const router = new PartitionRouter(new InProcessInvoker(), workers, [0]);
      for (const invoker of [new InProcessInvoker(), workers, router]) {
        const sampler = new DistNeighborSampler(pg, invoker, { maxRequestNodes: 5 });
        for (const [i, o] of optionSets.entries()) {
          const out = plain(await sampler.sample([...seeds, 3].slice(0, o.disjoint ? 7 : 6), o, 11));
          assert.deepEqual(out, expected[i], `${parts} parts, ${invoker.name}, ${JSON.stringify(o)}`);
        }
      }
    }
  });
});

describe('recycled outputs', () => {
  test('reusing recycled storage gives the samples fresh storage does; recycling twice is an error', async () => {
    const { src, dst } = randomArcs(6000, 1500, 99);
    const pg = await partitioned(graphFromArcs(src, dst, 1500, 'random'), 3);
    const fresh = new DistNeighborSampler(pg, new InProcessInvoker());
    const recycling = new DistNeighborSampler(pg, new InProcessInvoker());
    const optionSets = [
      { num_neighbors: [5, 3], seed: 4 },
      { num_neighbors: [2, 2], disjoint: true, seed: 4 },
      { num_neighbors: [-1], return_edge_id: false },
    ];
    // An output not recycled is never written over.
    const held = await recycling.sample([5, 6, 7], { num_neighbors: [4, 4] });
    const heldBefore = plain(held);
    for (const [i, o] of optionSets.entries()) {
      // Growing batches: some fit the recycled buffers, some need larger ones.
      for (const size of [40, 10, 300, 20]) {
        const seeds = Array.from({ length: size }, (_, s) => (s * 7 + i) % 1500);
        const out = await recycling.sample(seeds, o, size);
        const kept = plain(out);
        assert.deepEqual(kept, plain(await fresh.sample(seeds, o, size)), `${JSON.stringify(o)}, ${size} seeds`);
        recycling.recycle(out);
        assert.throws(
          () => recycling.recycle(out),
          (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
        );
      }
    }
    assert.deepEqual(plain(held), heldBefore);
    const foreign = await fresh.sample([1, 2], { num_neighbors: [2] });
    assert.throws(
      () => recycling.recycle(foreign),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
    );
  });
});

describe('bad input is a typed error', () => {
  test('unknown seeds, bad fanouts, empty or duplicate seeds', async () => {
    const pg = await partitioned(SMALL, 2);
    const sampler = new DistNeighborSampler(pg, new InProcessInvoker());
    await assert.rejects(
      sampler.sample([0, 6], { num_neighbors: [2] }),
      (e) => isFanoutError(e, 'UNKNOWN_NODE') && /node 6 does not exist/.test(e.message),
    );
    await assert.rejects(sampler.sample([-1], { num_neighbors: [2] }), (e) => isFanoutError(e, 'UNKNOWN_NODE'));
    await assert.rejects(
      sampler.sample([0], { num_neighbors: [0] }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /never 0/.test(e.message),
    );
    await assert.rejects(sampler.sample([0], { num_neighbors: [-2] }), (e) => isFanoutError(e, 'INVALID_ARGUMENT'));
    await assert.rejects(sampler.sample([0], { num_neighbors: [] }), (e) => isFanoutError(e, 'INVALID_ARGUMENT'));
    await assert.rejects(
      sampler.sample([], { num_neighbors: [2] }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /empty/.test(e.message),
    );
    await assert.rejects(
      sampler.sample([1, 2, 1], { num_neighbors: [2] }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /seed 1 appears more than once/.test(e.message),
    );
    await assert.rejects(sampler.sample([1], { num_neighbors: [2] }, -1), (e) => isFanoutError(e, 'INVALID_ARGUMENT'));
  });

  test('a missing part file fails the batch with NOT_FOUND, on every transport', async () => {
    const pg = await partitioned(SMALL, 2);
    const { rm } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    const root = fileURLToPath(pg.store.uri);
    await rm(`${root}/${pg.manifest.parts[1].graph['_N:_E:_N'].key}`);
    const inPart1 = (await pg.readIdMaps('_N')).origOfInternal[pg.manifest.node_map._N[1][0]];
    const workers = new WorkerPoolInvoker({ workers: 2 });
    pools.push(workers);
    for (const invoker of [new InProcessInvoker(), workers]) {
      await assert.rejects(
        new DistNeighborSampler(pg, invoker).sample([inPart1], { num_neighbors: [2] }),
        (e) => isFanoutError(e, 'NOT_FOUND'),
        invoker.name,
      );
    }
  });
});

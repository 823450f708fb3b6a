import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { buildKernelModule, KERNEL_BINARY_MODULE } from '../../../../../scripts/build-kernels.ts';
import { plainSample as plain } from '../../testing/plain-sample.ts';
import { graphFromArcs, partitioned, randomArcs } from '../../testing/small-graphs.ts';
import { InProcessInvoker } from '../../transport/in-process.ts';
import type { Invoker } from '../../transport/invoker.ts';
import { PartitionRouter } from '../../transport/partition-router.ts';
import { WorkerPoolInvoker } from '../../transport/worker-pool.ts';
import { DistNeighborSampler } from '../dist-neighbor-sampler.ts';
import { type HopRequest, sampleHop } from '../hop.ts';
import { HopService } from '../hop-service.ts';
import { loadHopPartition } from '../load-partition.ts';
import { KernelHeap } from './kernel-heap.ts';

const pools: WorkerPoolInvoker[] = [];
after(() => Promise.all(pools.map((p) => p.close())));

/**
 * 2,000 nodes, 8,000 random arcs, and five hubs of 90 to 300 in-edges: rows above 64 take the bit-set Floyd path up
 * to 256 positions and the marked one beyond, both edges of that bound included.
 */
function hubGraph() {
  const { src, dst, next } = randomArcs(8000, 2000, 2024);
  for (const [hub, degree] of [300, 150, 256, 257, 90].entries()) {
    const random = dst.filter((d) => d === hub * 7).length;
    for (let i = random; i < degree; i++) {
      src.push(next() % 2000);
      dst.push(hub * 7);
    }
  }
  return graphFromArcs(src, dst, 2000, 'hubs');
}

const OPTION_SETS = [
  { num_neighbors: [70, 5], seed: 3 },
  { num_neighbors: [100, 3], replace: true, seed: 3 },
  { num_neighbors: [4, -1], seed: 3 },
  { num_neighbors: [2, 3, 2], seed: 3, return_edge_id: false },
  { num_neighbors: [80, 2], disjoint: true, seed: 3 },
];
const SEEDS = [0, 7, 14, 21, 28, 5, 1999, 640];

describe('the WebAssembly sampling kernels', () => {
  test('the committed binary is built from its AssemblyScript source', async () => {
    assert.equal(readFileSync(KERNEL_BINARY_MODULE, 'utf8'), await buildKernelModule(), 'run npm run build:kernels');
  });

  test('kernels and JavaScript draw the same samples, local and remote, over 1, 3 and 5 parts', async () => {
    const graph = hubGraph();
    const reference = await partitioned(graph, 1);
    const javascript = new DistNeighborSampler(reference, new InProcessInvoker(new HopService({ kernels: false })));
    const expected = [];
    for (const o of OPTION_SETS) expected.push(plain(await javascript.sample(SEEDS, o, 4)));
    for (const parts of [1, 3, 5]) {
      const pg = await partitioned(graph, parts, parts);
      const workers = new WorkerPoolInvoker({ workers: 2 });
      pools.push(workers);
      const invokers = {
        'in-process kernels': new InProcessInvoker(),
        'worker kernels, kernel merge': workers,
        'worker kernels, JavaScript merge': new PartitionRouter(
          new InProcessInvoker(new HopService({ kernels: false })),
          workers,
          [0],
        ),
        'worker kernels and part 0 in this thread, kernel merge': new PartitionRouter(
          new InProcessInvoker(),
          workers,
          [0],
        ),
      };
      for (const [name, invoker] of Object.entries(invokers)) {
        const sampler = new DistNeighborSampler(pg, invoker, { maxRequestNodes: 7 });
        for (const [i, o] of OPTION_SETS.entries()) {
          assert.deepEqual(plain(await sampler.sample(SEEDS, o, 4)), expected[i], `${parts} parts, ${name}, ${i}`);
        }
      }
    }
  });

  test("a hop function's answer is the same from the kernel and from JavaScript", async () => {
    const pg = await partitioned(hubGraph(), 1);
    const etype = Object.keys(pg.manifest.etypes)[0];
    const withKernel = await loadHopPartition(pg, 0, etype);
    const without = await loadHopPartition(pg, 0, etype, { kernels: false });
    assert.ok(withKernel.kernel && !without.kernel);
    const nodes = Int32Array.from({ length: 2000 }, (_, i) => i);
    for (const [fanout, replace, rows] of [
      [70, false, false],
      [3, false, true],
      [120, true, false],
      [-1, false, false],
    ] as const) {
      const request: HopRequest = {
        graph: pg.uri,
        part: 0,
        etype,
        etypeIndex: 0,
        hop: 1,
        fanout,
        replace,
        seed: 5,
        batchKey: 2,
        nodes,
        rows: rows ? nodes.map((v) => v % 13) : undefined,
        edgeIds: true,
      };
      assert.deepEqual(sampleHop(withKernel, request), sampleHop(without, request), `${fanout} ${replace} ${rows}`);
    }
  });

  test('edge IDs of 2^31 and above keep their high words through the kernel', async () => {
    const pg = await partitioned(hubGraph(), 1);
    const etype = Object.keys(pg.manifest.etypes)[0];
    const withKernel = await loadHopPartition(pg, 0, etype);
    const without = await loadHopPartition(pg, 0, etype, { kernels: false });
    // A graph with 2^31 edges does not fit in a test: give the partitions high words as such a graph would have.
    const high = Int32Array.from({ length: without.arcs.length / 2 }, (_, j) => 1 + (j % 3));
    without.eidHi = high;
    withKernel.eidHi = KernelHeap.get()!.blocksOf(withKernel).copy(high);
    const nodes = Int32Array.from({ length: 2000 }, (_, i) => i);
    for (const fanout of [70, 3, -1]) {
      const request: HopRequest = {
        ...{ graph: pg.uri, part: 0, etype, etypeIndex: 0, hop: 0, fanout, replace: false, seed: 1, batchKey: 0 },
        nodes,
        edgeIds: true,
      };
      const answer = sampleHop(withKernel, request);
      assert.ok(answer.eidHi && answer.eidHi.length === answer.nbr.length && answer.eidHi.every((h) => h >= 1));
      assert.deepEqual(answer, sampleHop(without, request), `fanout ${fanout}`);
    }
  });
  test("answers' edge IDs of 2^31 and above keep their high words through the kernel merge", async () => {
    const pg = await partitioned(hubGraph(), 3, 3);
    const inner = new InProcessInvoker();
    // Every part answers as a remote function would (no localPartition), with high words such a graph would have.
    const remote: Invoker = {
      name: 'remote with high words',
      async invoke(request: HopRequest) {
        const answer = await inner.invoke(request);
        return { ...answer, eidHi: answer.eidLo.map((lo) => 1 + (lo % 3)) };
      },
      close: async () => {},
    };
    const options = { num_neighbors: [70, 5], seed: 3 };
    const expected = plain(await new DistNeighborSampler(pg, inner).sample(SEEDS, options, 4));
    const actual = plain(await new DistNeighborSampler(pg, remote).sample(SEEDS, options, 4));
    assert.deepEqual(
      actual.edge,
      expected.edge!.map((e) => e + (1 + (e % 3)) * 2 ** 32),
    );
    assert.deepEqual({ ...actual, edge: [] }, { ...expected, edge: [] });
  });
});

describe('KernelHeap', () => {
  test('blocks are reused once freed, and views stay valid as the memory grows', () => {
    const heap = KernelHeap.get();
    assert.ok(heap, 'Node has shared WebAssembly memory');
    const owner = {};
    const blocks = heap.blocksOf(owner);
    // Blocks larger than any hole the tests above can have left, so first fit has no lower hole to pick.
    const a = blocks.int32(1 << 23)!;
    a.fill(7);
    const b = blocks.int32(1 << 23)!;
    blocks.release(a);
    const c = blocks.int32(1 << 22)!;
    assert.equal(c.byteOffset, a.byteOffset, 'first fit reuses the freed block');
    const size = heap.size;
    const big = blocks.int32(16 << 20)!;
    assert.ok(heap.size > size, 'the memory grew');
    b.fill(3);
    big[big.length - 1] = 9;
    assert.equal(b[b.length - 1], 3, 'a view made before growing still reads and writes');
    assert.ok(heap.holds(b) && heap.holds(big) && !heap.holds(new Int32Array(4)));
    for (const x of [b, c, big]) blocks.release(x);
    assert.ok(!heap.holds(b), 'released');
  });
});

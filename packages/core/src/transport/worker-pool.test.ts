import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { isFanoutError } from '../errors/index.ts';
import { DistNeighborSampler, type SamplerOutput } from '../sampling/index.ts';
import { graphFromArcs, partitioned } from '../testing/small-graphs.ts';
import { createInvoker } from './create-invoker.ts';
import { RetryingInvoker } from './retrying-invoker.ts';
import { WorkerPoolInvoker } from './worker-pool.ts';

const pools: WorkerPoolInvoker[] = [];
after(() => Promise.all(pools.map((p) => p.close())));

const src = Array.from({ length: 3000 }, (_, i) => (i * 7919) % 500);
const dst = Array.from({ length: 3000 }, (_, i) => (i * 104_729 + 3) % 500);
const seeds = Array.from({ length: 64 }, (_, i) => i * 7);
/** A sample without its cost figures, which differ by transport. */
const sampled = (out: SamplerOutput) => ({ ...out, stats: undefined });

test('a worker that dies is replaced, its requests fail retryably, and under a retry policy no sample is lost', async () => {
  const graph = await partitioned(graphFromArcs(src, dst, 500, 'respawn'), 4);
  const reference = sampled(
    await new DistNeighborSampler(graph, createInvoker(graph, 'inprocess')).sample(seeds, { num_neighbors: [5, 5] }),
  );
  const pool = new WorkerPoolInvoker({ workers: 2 });
  pools.push(pool);
  const sampler = new DistNeighborSampler(graph, new RetryingInvoker(pool, { retries: 5, baseDelayMs: 1 }));
  assert.deepEqual(sampled(await sampler.sample(seeds, { num_neighbors: [5, 5] })), reference);

  const instances = Reflect.get(pool, 'instances') as { worker: Worker }[];
  const first = instances[0].worker;
  const inFlight = sampler.sample(seeds, { num_neighbors: [5, 5] });
  await first.terminate();
  assert.deepEqual(sampled(await inFlight), reference, 'the batch in flight completes on the replacement');
  assert.notEqual(instances[0].worker, first, 'slot 0 holds a new instance');
  assert.deepEqual(sampled(await sampler.sample(seeds, { num_neighbors: [5, 5] })), reference);

  // Without a retry policy, the requests the dead instance held fail with a retryable TRANSPORT_ERROR.
  const bare = new DistNeighborSampler(graph, pool);
  const failing = bare.sample(seeds, { num_neighbors: [5, 5] });
  await instances[1].worker.terminate();
  await failing.then(
    () => {},
    (e) => assert.ok(isFanoutError(e, 'TRANSPORT_ERROR') && e.retryable, String(e)),
  );
  assert.deepEqual(sampled(await bare.sample(seeds, { num_neighbors: [5, 5] })), reference);
});

test("answers are read in place from the instances' memory and given back, so their heaps stop growing", async () => {
  const graph = await partitioned(graphFromArcs(src, dst, 500, 'shared'), 2);
  const reference = new DistNeighborSampler(graph, createInvoker(graph, 'inprocess'));
  const pool = new WorkerPoolInvoker({ workers: 1 });
  pools.push(pool);
  const sampler = new DistNeighborSampler(graph, pool);
  const instances = Reflect.get(pool, 'instances') as { memory?: WebAssembly.Memory }[];
  const batch = (key: number) => seeds.map((s) => (s + key) % 500);
  const sampleAll = async (from: number, to: number) => {
    for (let key = from; key < to; key++) {
      assert.deepEqual(
        sampled(await sampler.sample(batch(key), { num_neighbors: [-1, 10] }, key)),
        sampled(await reference.sample(batch(key), { num_neighbors: [-1, 10] }, key)),
      );
    }
  };
  await sampleAll(0, 20);
  const memory = instances[0].memory;
  assert.ok(memory, 'the instance shared its kernel heap');
  const warm = memory.buffer.byteLength;
  await sampleAll(20, 220);
  assert.equal(memory.buffer.byteLength, warm, 'every answer block went back to the instance');

  // A response the caller reads itself is a view of the instance's memory until released.
  const response = await pool.invoke({
    graph: graph.uri,
    part: 0,
    etype: sampler.etype,
    etypeIndex: 0,
    hop: 0,
    fanout: -1,
    replace: false,
    seed: 0,
    batchKey: 0,
    nodes: Int32Array.from([0, 1, 2]),
    edgeIds: true,
  });
  assert.equal(response.nbr.buffer, memory.buffer);
  assert.equal(typeof response.release, 'function');
  response.release?.();
  response.release?.();
});

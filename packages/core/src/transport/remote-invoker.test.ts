import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FanoutError, isFanoutError } from '../errors/index.ts';
import { PartitionedGraph } from '../format/index.ts';
import { createHopHttpApp, HopFunction } from '../hop-function/index.ts';
import { ingestGraph } from '../ingest/index.ts';
import { serveFetch } from '../local/index.ts';
import { partitionGraph } from '../partition/index.ts';
import { DistNeighborSampler } from '../sampling/index.ts';
import { LocalStore } from '../storage/index.ts';
import { CallPolicy } from './call-policy.ts';
import { createInvoker } from './create-invoker.ts';
import { assignPartitionsToFunctions } from './function-pool.ts';
import { type FrameChannel, RemoteInvoker } from './remote-invoker.ts';

const CORA = new URL('../../../../data/cora', import.meta.url).pathname;

/** A channel straight into a HopFunction, counting calls, with the payload limit a test chooses; one destination. */
class LoopbackChannel implements FrameChannel {
  readonly name = 'loopback';
  readonly maxRequestBytes = 1e9;
  calls = 0;
  constructor(
    private readonly fn: HopFunction,
    readonly maxResponseBytes: number,
  ) {}
  destination(): string {
    return 'the-function';
  }
  async send(_destination: string, frames: ArrayBuffer[]): Promise<ArrayBuffer[]> {
    this.calls++;
    return this.fn.handleFrames(frames.map((f) => f.slice(0)));
  }
}

let opened: Promise<PartitionedGraph> | undefined;
let dir: string | undefined;
after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));
function cora(): Promise<PartitionedGraph> {
  opened ??= (async () => {
    dir = await mkdtemp(join(tmpdir(), 'fanout-remote-'));
    const graph = await ingestGraph({ input: CORA, name: 'cora' });
    await partitionGraph(graph, new LocalStore(dir), { numParts: 2, method: 'random' });
    return PartitionedGraph.open(dir);
  })();
  return opened;
}

describe('RemoteInvoker', () => {
  test('splits requests and answers to fit the payload limit; the sample is the same as in-process', async () => {
    const graph = await cora();
    const seeds = Array.from({ length: 300 }, (_, i) => i * 9);
    const reference = new DistNeighborSampler(graph, createInvoker(graph, 'inprocess'));
    for (const [fanouts, limit] of [
      [[10, 10], 600], // worst case known: requests cut before sending
      [[-1, -1], 4_000], // fanout -1: the function answers prefixes and is asked again for the rest
    ] as const) {
      const channel = new LoopbackChannel(new HopFunction({ maxResponseBytes: limit }), limit);
      const remote = new DistNeighborSampler(graph, new RemoteInvoker(channel, { hedgePercentile: 0 }));
      const options = { num_neighbors: [...fanouts], seed: 3 };
      const [a, b] = await Promise.all([reference.sample(seeds, options, 1), remote.sample(seeds, options, 1)]);
      assert.deepEqual([...b.node], [...a.node]);
      assert.deepEqual([...b.row], [...a.row]);
      assert.deepEqual([...b.col], [...a.col]);
      assert.deepEqual([...b.edge!], [...a.edge!]);
      assert.ok(channel.calls > b.stats.requests, `${channel.calls} calls for ${b.stats.requests} requests`);
      assert.equal(b.stats.invocations, channel.calls);
    }
  });

  test("a hop's requests to one function share a call; the sample is the same either way", async () => {
    const graph = await cora();
    const seeds = Array.from({ length: 100 }, (_, i) => i * 27);
    const options = { num_neighbors: [5, 5], seed: 9 };
    const together = new LoopbackChannel(new HopFunction(), 1e9);
    const apart = new LoopbackChannel(new HopFunction(), 1e9);
    const a = await new DistNeighborSampler(graph, new RemoteInvoker(together)).sample(seeds, options);
    const b = await new DistNeighborSampler(graph, new RemoteInvoker(apart, { coalesce: false })).sample(
      seeds,
      options,
    );
    assert.deepEqual([...a.node], [...b.node]);
    assert.deepEqual([...a.edge!], [...b.edge!]);
    assert.equal(together.calls, 2); // one per hop, both partitions in it
    assert.equal(a.stats.invocations, 2);
    assert.equal(a.stats.requests, b.stats.requests);
    assert.equal(apart.calls, b.stats.invocations);
    assert.ok(apart.calls > together.calls);
  });

  test('typed errors from the function keep their code and are not retried', async () => {
    const graph = await cora();
    const channel = new LoopbackChannel(new HopFunction({ graphsPrefix: 's3://elsewhere/graphs' }), 1e9);
    const sampler = new DistNeighborSampler(graph, new RemoteInvoker(channel, { hedgePercentile: 0 }));
    await assert.rejects(sampler.sample([1], { num_neighbors: [2] }), (e) => isFanoutError(e, 'NOT_FOUND'));
    assert.equal(channel.calls, 1);
  });

  test('the pool map balances partitions over functions by bytes, deterministically', async () => {
    const graph = await cora();
    const map = assignPartitionsToFunctions(graph.manifest, 2);
    assert.deepEqual([...map].sort(), [0, 1]);
    assert.deepEqual(assignPartitionsToFunctions(graph.manifest, 2), map);
    assert.deepEqual([...assignPartitionsToFunctions(graph.manifest, 1)], [0, 0]);
  });
});

describe('the HTTP transport', () => {
  test('hop servers over HTTP sample the same; a wrong token is refused, not retried', async () => {
    const graph = await cora();
    const servers = await Promise.all(
      [0, 1].map(() => serveFetch(createHopHttpApp(new HopFunction(), { token: 'hop-token' }).fetch)),
    );
    try {
      const urls = servers.map((s) => s.url);
      const remote = new DistNeighborSampler(graph, createInvoker(graph, 'http', { urls, token: 'hop-token' }));
      const reference = new DistNeighborSampler(graph, createInvoker(graph, 'inprocess'));
      const seeds = Array.from({ length: 200 }, (_, i) => i * 13);
      const options = { num_neighbors: [8, 4], seed: 5, disjoint: true };
      const [a, b] = await Promise.all([reference.sample(seeds, options, 2), remote.sample(seeds, options, 2)]);
      assert.deepEqual([...b.node], [...a.node]);
      assert.deepEqual([...b.col], [...a.col]);
      assert.deepEqual([...b.batch!], [...a.batch!]);
      const wrong = new DistNeighborSampler(graph, createInvoker(graph, 'http', { urls, token: 'nope' }));
      await assert.rejects(
        wrong.sample([1], { num_neighbors: [2] }),
        (e) => isFanoutError(e, 'TRANSPORT_ERROR') && !e.retryable && /401/.test(e.message),
      );
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});

describe('CallPolicy', () => {
  const flaky = (failures: number, error: () => Error) => {
    let calls = 0;
    return {
      attempt: async () => {
        if (calls++ < failures) throw error();
        return 'ok';
      },
      calls: () => calls,
    };
  };

  test('retries retryable failures with backoff, up to the bound', async () => {
    const policy = new CallPolicy({ retries: 3, baseDelayMs: 1, hedgePercentile: 0 });
    const twice = flaky(2, () => new FanoutError('TRANSPORT_ERROR', 'connection reset'));
    assert.equal(await policy.run(twice.attempt), 'ok');
    assert.equal(twice.calls(), 3);
    const always = flaky(99, () => new FanoutError('STORAGE_ERROR', 'slow down'));
    await assert.rejects(policy.run(always.attempt), (e) => isFanoutError(e, 'STORAGE_ERROR'));
    assert.equal(always.calls(), 4);
    assert.equal(policy.stats().retries, 2 + 3);
  });

  test('never retries what cannot pass', async () => {
    const policy = new CallPolicy({ retries: 3, baseDelayMs: 1, hedgePercentile: 0 });
    const bad = flaky(99, () => new FanoutError('UNKNOWN_NODE', 'no node 7'));
    await assert.rejects(policy.run(bad.attempt), (e) => isFanoutError(e, 'UNKNOWN_NODE'));
    assert.equal(bad.calls(), 1);
  });

  test('times attempts out, aborting them, and retries', async () => {
    const policy = new CallPolicy({ timeoutMs: 20, retries: 1, baseDelayMs: 1, hedgePercentile: 0 });
    let aborted = 0;
    const hang = (signal: AbortSignal) =>
      new Promise<string>((_, reject) =>
        signal.addEventListener('abort', () => {
          aborted++;
          reject(new Error('aborted'));
        }),
      );
    await assert.rejects(policy.run(hang), (e) => isFanoutError(e, 'TRANSPORT_ERROR') && /timed out/.test(e.message));
    assert.equal(aborted, 2);
    assert.equal(policy.stats().timeouts, 2);
  });

  test('hedges a slow attempt after the latency percentile; the first answer wins and the other is aborted', async () => {
    const policy = new CallPolicy({ hedgePercentile: 0.5, hedgeMinSamples: 5, retries: 0 });
    for (let i = 0; i < 5; i++) await policy.run(async () => 'warm');
    let calls = 0;
    let abortedSlow = false;
    const result = await policy.run(
      (signal) =>
        new Promise<string>((resolve) => {
          if (calls++ === 0) {
            // The first attempt stalls (a cold container, a lost packet) until it is aborted.
            signal.addEventListener('abort', () => {
              abortedSlow = true;
            });
            return;
          }
          resolve('hedged');
        }),
    );
    assert.equal(result, 'hedged');
    assert.equal(calls, 2);
    assert.ok(abortedSlow);
    assert.equal(policy.stats().hedges, 1);
  });

  test('a settled attempt is never aborted afterwards: only attempts still running are', async () => {
    const policy = new CallPolicy({ hedgePercentile: 0, retries: 1, baseDelayMs: 1 });
    const signals: AbortSignal[] = [];
    let calls = 0;
    const result = await policy.run(async (signal) => {
      signals.push(signal);
      if (calls++ === 0) throw new FanoutError('TRANSPORT_ERROR', 'connection reset');
      return 'ok';
    });
    assert.equal(result, 'ok');
    assert.deepEqual(
      signals.map((s) => s.aborted),
      [false, false],
    );
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HopPartition, HopRequest, HopResponse } from '../sampling/hop.ts';
import type { Invoker } from './invoker.ts';
import { PartitionRouter } from './partition-router.ts';
import { UtilizationBalancer } from './utilization-balancer.ts';

/** An invoker that answers nothing but says who was asked; its partitions load as `loads` says, in turn. */
function fakeInvoker(name: string, calls: string[], loads: ('ok' | 'fail')[] = []): Invoker {
  return {
    name,
    async invoke(request: HopRequest) {
      calls.push(`${name} ${request.part}`);
      return {} as HopResponse;
    },
    localPartition(_graph: string, part: number) {
      calls.push(`${name} loads ${part}`);
      return loads.shift() === 'ok'
        ? Promise.resolve({ part } as unknown as HopPartition)
        : Promise.reject(new Error('no'));
    },
    async close() {},
  };
}

const request = (part: number) => ({ part }) as HopRequest;
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('balanced, a co-located partition is sampled here once loaded, the remote side answering until then', async () => {
  const calls: string[] = [];
  const balancer = new UtilizationBalancer({ remote: () => 1, local: () => 0, intervalMs: 0 });
  balancer.share = 1;
  const router = new PartitionRouter(
    fakeInvoker('here', calls, ['fail', 'ok']),
    fakeInvoker('there', calls),
    [0],
    balancer,
  );
  assert.match(router.name, /balanced/);

  assert.equal(router.localPartition('g', 1, 'e'), undefined, 'not co-located');
  assert.equal(router.localPartition('g', 0, 'e'), undefined, 'the first load has only started');
  assert.equal(router.localPartition('g', 0, 'e'), undefined, 'still loading: no second load');
  await settle();
  assert.equal(router.localPartition('g', 0, 'e'), undefined, 'the load failed: a new one starts');
  await settle();
  assert.deepEqual(await router.localPartition('g', 0, 'e'), { part: 0 });
  // Requests the coordinator did not keep go to the remote side, co-located or not.
  await router.invoke(request(0));
  await router.invoke(request(1));
  assert.deepEqual(calls, ['here loads 0', 'here loads 0', 'there 0', 'there 1']);
});

test('unbalanced, co-located partitions are always sampled here', async () => {
  const calls: string[] = [];
  const router = new PartitionRouter(fakeInvoker('here', calls, ['ok']), fakeInvoker('there', calls), [0]);
  assert.deepEqual(await router.localPartition('g', 0, 'e'), { part: 0 });
  await router.invoke(request(0));
  await router.invoke(request(1));
  assert.deepEqual(calls, ['here loads 0', 'here 0', 'there 1']);
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UtilizationBalancer } from './utilization-balancer.ts';

/** A balancer on a hand-driven clock, with the two sides' busyness set by the test. */
function driven(local: number, remote: number) {
  const state = { clock: 0, local, remote };
  const balancer = new UtilizationBalancer({
    local: () => state.local,
    remote: () => state.remote,
    intervalMs: 10,
    now: () => state.clock,
  });
  /** Decisions for `requests` requests, the clock moving `step` ms before each; how many were kept here. */
  const run = (requests: number, step: number) => {
    let here = 0;
    for (let i = 0; i < requests; i++) {
      state.clock += step;
      if (balancer.sampleHere()) here++;
    }
    return here;
  };
  return { state, balancer, run };
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

describe('the utilization balancer', () => {
  test('a busier remote side moves requests here, once per interval, in proportion to the difference', () => {
    const { balancer, run } = driven(0.5, 0.9);
    assert.equal(run(9, 1), 0, 'no adjustment before the first interval');
    assert.equal(balancer.share, 0);
    run(1, 1);
    assert.ok(close(balancer.share, 0.1), `share ${balancer.share}`);
    run(19, 1);
    assert.ok(close(balancer.share, 0.2), `share ${balancer.share}`);
  });

  test('requests are kept here evenly at the share', () => {
    const balancer = new UtilizationBalancer({ remote: () => 0, local: () => 0, now: () => 0 });
    balancer.share = 0.25;
    const kept = Array.from({ length: 100 }, () => balancer.sampleHere());
    assert.equal(kept.filter(Boolean).length, 25);
    assert.ok(
      kept.every((k, i) => !k || !kept[i - 1]),
      'never two in a row',
    );
  });

  test('a busier coordinator gives requests back, down to none; as busy as the remote side, the share holds', () => {
    const { state, balancer, run } = driven(0.5, 0.9);
    run(60, 1);
    assert.ok(close(balancer.share, 0.6), `share ${balancer.share}`);
    state.local = 0.8;
    state.remote = 0.8;
    run(200, 1);
    assert.ok(close(balancer.share, 0.6), `share ${balancer.share}`);
    state.local = 1;
    state.remote = 0.5;
    run(100, 1);
    assert.equal(balancer.share, 0);
    assert.equal(run(100, 0), 0, 'at share 0 nothing is kept here');
  });

  test('the share stops at 1, where every request is sampled here', () => {
    const { balancer, run } = driven(0, 1);
    run(1000, 10);
    assert.equal(balancer.share, 1);
    assert.equal(run(50, 0), 50);
  });
});

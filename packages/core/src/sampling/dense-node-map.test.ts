import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DenseNodeMap } from './dense-node-map.ts';

test('a dense relabel table forgets every node at each batch, through stamp wrap-around and sign-bit tags', () => {
  // The largest range leaves 10 stamp bits: batches 512 and up have the sign bit set, and batch 1024 wraps.
  const map = new DenseNodeMap(DenseNodeMap.MAX_NODES);
  const last = DenseNodeMap.MAX_NODES - 1;
  for (let batch = 0; batch < 1100; batch++) {
    map.reset();
    assert.equal(map.getOrInsert(5, 0), 0, `batch ${batch}: node 5 is new`);
    assert.equal(map.getOrInsert(last, last), last, `batch ${batch}: the largest local index fits`);
    assert.equal(map.getOrInsert(5, 2), 0, `batch ${batch}: node 5 keeps its index`);
    assert.equal(map.getOrInsert(last, 3), last, `batch ${batch}: the last node keeps its index`);
    assert.equal(map.getOrInsert(6, 2), 2, `batch ${batch}: node 6 is new`);
  }
});

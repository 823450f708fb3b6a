import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import { type Compacted, rankOf, uniqueAndCompact } from './unique-and-compact.ts';

const i32 = (...v: number[]) => Int32Array.from(v);
const plain = (c: Compacted) => ({
  unique: [...c.unique],
  compacted: c.compacted.map((x) => [...x]),
  offsets: [...c.offsets],
});

test('first-appearance order, as GraphBolt documents it', () => {
  const out = uniqueAndCompact([i32(1, 2, 2), i32(5, 6, 6), i32(1, 2, 3)]);
  assert.deepEqual(plain(out), {
    unique: [1, 2, 5, 6, 3],
    compacted: [
      [0, 1, 1],
      [2, 3, 3],
      [0, 1, 4],
    ],
    offsets: [0, 5],
  });
});

test('per node type for a dict', () => {
  const out = uniqueAndCompact({ author: [i32(7, 7)], paper: [i32(3, 1), i32(1, 9)] });
  assert.deepEqual(plain(out.author), { unique: [7], compacted: [[0, 0]], offsets: [0, 1] });
  assert.deepEqual(plain(out.paper), {
    unique: [3, 1, 9],
    compacted: [
      [0, 1],
      [1, 2],
    ],
    offsets: [0, 3],
  });
});

test('cooperative ranks: the caller rank first, the others rotated, offsets of world_size + 1', () => {
  const ids = [10, 11, 12, 13, 14, 15, 16, 17];
  const ranks = ids.map((id) => rankOf(id, 3));
  // Hand-computed expectation from the documented hash: group by (rank - caller + 3) % 3, first appearance inside.
  for (const caller of [0, 1, 2]) {
    const expectedOrder = [0, 1, 2].flatMap((g) => ids.filter((_, i) => (ranks[i] - caller + 3) % 3 === g));
    const out = uniqueAndCompact([i32(...ids, 10, 17)], { rank: caller, worldSize: 3 });
    assert.deepEqual([...out.unique], expectedOrder, `rank ${caller}`);
    const sizes = [0, 1, 2].map((g) => ranks.filter((r) => (r - caller + 3) % 3 === g).length);
    assert.deepEqual([...out.offsets], [0, sizes[0], sizes[0] + sizes[1], 8]);
    // Every group holds exactly the IDs of rank (caller + i) % 3.
    for (let g = 0; g < 3; g++)
      for (const id of out.unique.subarray(out.offsets[g], out.offsets[g + 1]))
        assert.equal(rankOf(id, 3), (caller + g) % 3);
    // Compacted IDs point at the same original IDs.
    assert.deepEqual(
      [...out.compacted[0]].map((c) => out.unique[c]),
      [...ids, 10, 17],
    );
  }
});

test('the rank hash is fixed: murmur3 fmix32 of the ID, mod world size', () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((id) => rankOf(id, 4)),
    [0, 1, 2, 3, 4, 5].map((id) => rankOf(id, 4)),
  );
  assert.equal(rankOf(0, 4), 0); // fmix32(0) = 0
  // fmix32(1) = 0x514e28b7 → 1,364,076,727 mod 4 = 3
  assert.equal(rankOf(1, 4), 3);
});

test('bad rank or world size is a typed error', () => {
  assert.throws(
    () => uniqueAndCompact([i32(1)], { rank: 2, worldSize: 2 }),
    (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
  );
  assert.throws(
    () => uniqueAndCompact([i32(1)], { rank: 0, worldSize: 0 }),
    (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
  );
});

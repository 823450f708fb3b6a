import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import { BufferCarver, OutputBuffers } from './output-buffers.ts';

test('a buffer given back serves a later take that fits; a larger take gets a larger buffer', () => {
  const pool = new OutputBuffers();
  const output = {};
  const first = pool.take(1000);
  assert.ok(first.byteLength >= 1000);
  pool.lend(output, first);
  pool.giveBack(output);
  assert.equal(pool.take(500), first);
  assert.ok(pool.take(first.byteLength + 1).byteLength > first.byteLength);
});

test('giving an output back twice, or one the pool did not lend, is an INVALID_ARGUMENT error', () => {
  const pool = new OutputBuffers();
  const output = {};
  pool.lend(output, pool.take(64));
  pool.giveBack(output);
  // Even once its buffer is on loan again, to another output.
  pool.lend({}, pool.take(64));
  assert.throws(
    () => pool.giveBack(output),
    (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
  );
  assert.throws(
    () => pool.giveBack({}),
    (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
  );
});

test('carved arrays are 8-byte aligned, disjoint and hold what they copy', () => {
  const bytes = BufferCarver.bytes(4 * 3, 8 * 2, 4 * 1);
  assert.equal(bytes, 16 + 16 + 8);
  const carver = new BufferCarver(new ArrayBuffer(bytes));
  const a = carver.int32(3, Int32Array.of(1, 2, 3, 4));
  const b = carver.bigInt64(2, Int32Array.of(5, 0, -1, -1, 9));
  const c = carver.int32(1);
  assert.deepEqual([a.byteOffset, b.byteOffset, c.byteOffset], [0, 16, 32]);
  assert.deepEqual([...a], [1, 2, 3]);
  assert.deepEqual([...b], [5n, -1n]);
  c[0] = 7;
  assert.deepEqual([...a, ...[...b].map(Number), c[0]], [1, 2, 3, 5, -1, 7]);
});

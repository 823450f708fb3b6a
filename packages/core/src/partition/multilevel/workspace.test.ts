import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Workspace } from './workspace.ts';

describe('Workspace', () => {
  test('hands out zeroed arrays, reusing the memory given back', () => {
    const ws = new Workspace();
    const a = ws.take(Int32Array, 100);
    a.fill(7);
    ws.give(a);
    const b = ws.take(Uint16Array, 150);
    assert.equal(b.buffer, a.buffer);
    assert.equal(b.byteOffset, 0);
    assert.ok(b.every((x) => x === 0));
    // 150 two-byte values take 304 of the 400 bytes; the rest serves a later take.
    const c = ws.take(Uint8Array, 96);
    assert.equal(c.buffer, a.buffer);
    assert.equal(c.byteOffset, 304);
    assert.ok(c.every((x) => x === 0));
  });

  test('merges neighboring free blocks, so a large take fits where smaller arrays were', () => {
    const ws = new Workspace();
    const big = ws.take(Int32Array, 64);
    ws.give(big);
    const parts = [ws.take(Int32Array, 16), ws.take(Int32Array, 16), ws.take(Int32Array, 16), ws.take(Int32Array, 16)];
    assert.ok(parts.every((p) => p.buffer === big.buffer));
    // Given back out of order: the middle two merge with each other, then with both ends.
    ws.give(parts[1], parts[2], parts[0], parts[3]);
    const again = ws.take(Int32Array, 64);
    assert.equal(again.buffer, big.buffer);
  });

  test('takes the smallest free block that fits', () => {
    const ws = new Workspace();
    const large = ws.take(Uint8Array, 1000);
    const small = ws.take(Uint8Array, 100);
    ws.give(large, small);
    assert.equal(ws.take(Uint8Array, 80).buffer, small.buffer);
    assert.equal(ws.take(Uint8Array, 200).buffer, large.buffer);
    assert.notEqual(ws.take(Uint8Array, 2000).buffer, large.buffer);
  });

  test('keeps large free blocks whole for large takes: a small take gets a buffer of its own', () => {
    const ws = new Workspace();
    const large = ws.take(Int32Array, 1000);
    ws.give(large);
    assert.notEqual(ws.take(Int32Array, 100).buffer, large.buffer);
    assert.equal(ws.take(Int32Array, 1000).buffer, large.buffer);
  });

  test('shrink gives a large tail back at once, and keeps a small one reserved until the array is given back', () => {
    const ws = new Workspace();
    const a = ws.take(Int32Array, 100);
    a.fill(3);
    const head = ws.shrink(a, 10);
    assert.deepEqual([...head], new Array(10).fill(3));
    const tail = ws.take(Int32Array, 90);
    assert.equal(tail.buffer, a.buffer);
    assert.equal(tail.byteOffset, 40);
    ws.give(head, tail);
    assert.equal(ws.take(Int32Array, 100).buffer, a.buffer);

    const b = ws.take(Int32Array, 1000);
    const most = ws.shrink(b, 990);
    assert.notEqual(ws.take(Int32Array, 10).buffer, b.buffer);
    ws.give(most);
    assert.equal(ws.take(Int32Array, 1000).buffer, b.buffer);
  });

  test('a take that nearly fills a free block reserves all of it, so the block comes back whole', () => {
    const ws = new Workspace();
    const block = ws.take(Int32Array, 1000);
    ws.give(block);
    const most = ws.take(Int32Array, 950);
    assert.equal(most.buffer, block.buffer);
    assert.notEqual(ws.take(Int32Array, 40).buffer, block.buffer);
    ws.give(most);
    assert.equal(ws.take(Int32Array, 1000).buffer, block.buffer);
  });

  test('copy takes an array holding the given values', () => {
    const ws = new Workspace();
    assert.deepEqual([...ws.copy(Int32Array, [5, -1, 9])], [5, -1, 9]);
  });

  test('refuses arrays it did not hand out and arrays given back twice', () => {
    const ws = new Workspace();
    assert.throws(() => ws.give(new Int32Array(4)), /not taken from this workspace/);
    const a = ws.take(Int32Array, 4);
    ws.give(a);
    assert.throws(() => ws.give(a), /given back already/);
    // Empty arrays hold no memory: giving one back is a no-op.
    ws.give(ws.take(Int32Array, 0), new Uint8Array(0));
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedBuffer } from './shared-memory.ts';

const PAGE = 65_536;

/** A shared memory as a thread sees it before taking another thread's growth: `buffer` short until `grow`. */
function staleMemory(pages: number, seenPages: number) {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  let seen: ArrayBufferLike = new SharedArrayBuffer(seenPages * PAGE);
  let refreshes = 0;
  const view = {
    get buffer() {
      return seen;
    },
    grow(delta: number) {
      assert.equal(delta, 0, 'a refresh must not grow the memory');
      refreshes++;
      seen = memory.buffer;
      return pages;
    },
  };
  return { memory: view as unknown as WebAssembly.Memory, refreshes: () => refreshes };
}

describe('reading shared memory another thread grows', () => {
  test('a block past the buffer this thread last saw is read after a refresh', () => {
    const { memory, refreshes } = staleMemory(3, 1);
    const buffer = sharedBuffer(memory, 2 * PAGE, 120, 'a request frame');
    assert.equal(buffer.byteLength, 3 * PAGE);
    assert.equal(refreshes(), 1);
  });

  test('a block inside the buffer already seen needs no refresh', () => {
    const { memory, refreshes } = staleMemory(3, 1);
    assert.equal(sharedBuffer(memory, 16, 120, 'a request frame').byteLength, PAGE);
    assert.equal(refreshes(), 0);
  });

  test('a block past the memory itself is a transport error, not a RangeError', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    for (const [at, bytes] of [
      [PAGE - 8, 16],
      [0, 16],
      [16, -4],
    ]) {
      assert.throws(() => sharedBuffer(memory, at, bytes, "a hop worker's answer"), {
        code: 'TRANSPORT_ERROR',
        message: new RegExp(`a hop worker's answer lies outside the shared memory \\(${at} \\+ ${bytes} bytes\\)`),
      });
    }
    assert.equal(memory.buffer.byteLength, PAGE, 'checking grows nothing');
  });
});

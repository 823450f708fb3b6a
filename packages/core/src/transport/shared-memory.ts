import { FanoutError } from '../errors/index.ts';

/**
 * The buffer of a shared WebAssembly memory another thread allocates in, checked to span `bytes` bytes at `at`.
 * V8 tells a thread of another's `grow` by an interrupt it takes at a later check, so `memory.buffer` read before
 * then is the shorter buffer from before the growth, though the memory itself is already there. `grow(0)` makes
 * this thread's memory object take the current size at once (emnapi refreshes its views the same way).
 */
export function sharedBuffer(memory: WebAssembly.Memory, at: number, bytes: number, what: string): ArrayBufferLike {
  const end = at + bytes;
  if (memory.buffer.byteLength < end) memory.grow(0);
  const buffer = memory.buffer;
  if (at <= 0 || bytes < 0 || end > buffer.byteLength) {
    throw new FanoutError('TRANSPORT_ERROR', `${what} lies outside the shared memory (${at} + ${bytes} bytes)`);
  }
  return buffer;
}

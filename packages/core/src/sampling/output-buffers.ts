import { FanoutError } from '../errors/index.ts';

/** Free buffers kept for reuse: a few batches in flight and a few waiting to be consumed. */
const MAX_FREE = 8;
/** A new buffer's headroom, so a slightly larger batch still fits the next time round. */
const HEADROOM = 1.25;

/**
 * Storage for sampler outputs, handed back by the consumer once done with an output (the sampler's `recycle`) and
 * reused for later ones. A sampled batch is megabytes of arrays that die young, and allocating them batch after batch
 * costs zeroing, page faults and the collections V8 runs per 32 MB of new ArrayBuffers; an output kept a little
 * longer (a loader prefetching) is promoted and costs full collections besides (measured: a window of 8 outputs over
 * 4 batches in flight took the workers transport from 41 to 29 M edges/s, the collector's threads taking half a core).
 *
 * Each output lives in one buffer. A buffer given back is not detached: a transfer would hand V8 the memory as a new
 * ArrayBuffer, counted as new external memory like an allocation, and the collections stay (measured 1.01x against
 * 1.09x without). So an output must not be read once recycled; recycling it twice is caught.
 */
export class OutputBuffers {
  private readonly free: ArrayBuffer[] = [];
  /** The buffer of each output on loan. */
  private readonly lent = new WeakMap<object, ArrayBuffer>();

  /** A buffer of at least `bytes`, for an output to be lent with `lend`. */
  take(bytes: number): ArrayBuffer {
    const i = this.free.findIndex((b) => b.byteLength >= bytes);
    return i >= 0 ? this.free.splice(i, 1)[0] : new ArrayBuffer(Math.ceil((bytes * HEADROOM) / 8) * 8);
  }

  /** Records that `output` holds `buffer` until given back. */
  lend(output: object, buffer: ArrayBuffer): void {
    this.lent.set(output, buffer);
  }

  /** Takes back the buffer of an output this pool lent; one not on loan (given back already) is an error. */
  giveBack(output: object): void {
    const buffer = this.lent.get(output);
    if (!buffer) {
      throw new FanoutError('INVALID_ARGUMENT', 'this output was recycled already, or another sampler made it');
    }
    this.lent.delete(output);
    if (this.free.length >= MAX_FREE) this.free.shift();
    this.free.push(buffer);
  }
}

/** Carves typed arrays out of one buffer, each 8-byte aligned. */
export class BufferCarver {
  private at = 0;

  constructor(readonly buffer: ArrayBuffer) {}

  /** Bytes a set of arrays of these byte lengths needs. */
  static bytes(...lengths: number[]): number {
    return lengths.reduce((sum, n) => sum + align8(n), 0);
  }

  /** The next `length` words, holding the first `length` of `from` when given. */
  int32(length: number, from?: Int32Array): Int32Array {
    const array = new Int32Array(this.buffer, this.at, length);
    if (from) array.set(from.subarray(0, length));
    this.at += align8(4 * length);
    return array;
  }

  /** The next `length` 64-bit integers, holding the first `2 * length` 32-bit halves of `halves` (low word first). */
  bigInt64(length: number, halves: Int32Array): BigInt64Array {
    new Int32Array(this.buffer, this.at, 2 * length).set(halves.subarray(0, 2 * length));
    const array = new BigInt64Array(this.buffer, this.at, length);
    this.at += 8 * length;
    return array;
  }
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/**
 * The arrays of one sample carved out of a single ArrayBuffer, filled by copies out of the sampler's reused buffers.
 * One allocation instead of five matters more than it looks: glibc serves allocations past its (adaptive) mmap
 * threshold with fresh pages and trims freed space past twice that, so megabyte-sized arrays that come and go with
 * several batches in flight kept faulting their pages in anew (ego-Twitter, workers: ~700 page faults a batch, 14 %
 * of the coordinator's time in the kernel). The arrays share the buffer, so it lives as long as any one of them.
 */
export class OutputBlock {
  private readonly buffer: ArrayBuffer;
  private at = 0;

  /** Room for `wide` BigInt64 elements and `narrow` Int32 ones; carve the BigInt64 arrays first. */
  constructor(wide: number, narrow: number) {
    this.buffer = new ArrayBuffer(8 * wide + 4 * narrow);
  }

  /** An uninitialised Int32Array of `length`. */
  int32(length: number): Int32Array {
    const array = new Int32Array(this.buffer, this.at, length);
    this.at += 4 * length;
    return array;
  }

  /** A copy of `source[0, length)`. */
  copy(source: Int32Array, length: number): Int32Array {
    const array = this.int32(length);
    array.set(source.subarray(0, length));
    return array;
  }

  /** A BigInt64Array of the 64-bit values in `halves[0, 2 * length)` (low word first, as the machine stores them). */
  bigInt64(halves: Int32Array, length: number): BigInt64Array {
    const array = new BigInt64Array(this.buffer, this.at, length);
    new Int32Array(this.buffer, this.at, 2 * length).set(halves.subarray(0, 2 * length));
    this.at += 8 * length;
    return array;
  }
}

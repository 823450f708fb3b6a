import type { HeapBlocks, KernelHeap } from './kernel-heap.ts';

/** The marks region's words before its per-position stamps: the stamp, alignment, the bit set's eight. */
const MARKS_HEADER_WORDS = 10;

/**
 * Named regions of kernel heap memory a sampler reuses from call to call: the picks and Floyd marks of `choose`,
 * and the staging areas where requests and responses are copied in and out. Each grows (doubling) as needed.
 */
export class KernelScratch {
  private readonly blocks: HeapBlocks;
  private readonly regions = new Map<string, Int32Array>();

  constructor(readonly heap: KernelHeap) {
    this.blocks = heap.blocksOf(this);
  }

  /** At least `length` words (contents undefined), or undefined when the heap is full. */
  region(name: string, length: number): Int32Array | undefined {
    const current = this.regions.get(name);
    if (current && current.length >= length) return current;
    if (current) this.blocks.release(current);
    this.regions.delete(name);
    const next = this.blocks.int32(Math.max(length, 2 * (current?.length ?? 0), 64));
    if (next) this.regions.set(name, next);
    return next;
  }

  /** The kernels' reading of `n` rows ahead (assembly/sampling-kernel.ts's readRow): three words per row. */
  rowInfo(n: number): Int32Array | undefined {
    return this.region('row info', 3 * n);
  }

  /**
   * The Floyd marks for rows of up to `maxDegree` positions (assembly/sampling-kernel.ts's layout): a stamp word and
   * a 256-bit set (ten words with alignment), then a word per position, zero when first given out (the kernel
   * stamps each row's picks with a new stamp, so old marks never match).
   */
  marks(maxDegree: number): Int32Array | undefined {
    const current = this.regions.get('marks');
    const marks = this.region('marks', MARKS_HEADER_WORDS + maxDegree);
    if (marks && marks !== current) marks.fill(0);
    return marks;
  }
}

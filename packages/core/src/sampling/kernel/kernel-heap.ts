import { SAMPLING_KERNEL_WASM } from './sampling-kernel-binary.ts';

/** The sampling kernel's exports (packages/core/assembly/sampling-kernel.ts documents each). */
export interface SamplingKernel {
  numNodes: { value: number };
  sampleRows(...args: number[]): number;
  mergeHop(...args: number[]): number;
}

const WASM_PAGE = 65_536;
/** wasm32's address space. */
const MAX_PAGES = 65_536;
const ALIGN = 16;

/**
 * The memory the sampling kernels work in, one per thread: a shared WebAssembly memory, with a first-fit allocator
 * over it. Shared, because a shared memory's typed-array views stay valid when it grows (a plain one detaches them):
 * partitions and batch buffers placed here are ordinary Int32Arrays to the JavaScript code, and plain byte offsets
 * to the kernels. Blocks belong to an owner object (`blocksOf`) and are freed explicitly, or when the owner is
 * collected, so no view can outlive its block.
 */
export class KernelHeap {
  private static instance: KernelHeap | null | undefined;

  /** This thread's heap, or undefined where shared WebAssembly memory is not available (JavaScript paths serve). */
  static get(): KernelHeap | undefined {
    if (KernelHeap.instance === undefined) {
      try {
        KernelHeap.instance = new KernelHeap();
      } catch {
        KernelHeap.instance = null;
      }
    }
    return KernelHeap.instance ?? undefined;
  }

  readonly kernel: SamplingKernel;
  /** Shared: another thread given it reads this heap's blocks in place (a worker's answers, by its coordinator). */
  readonly memory: WebAssembly.Memory;
  /** Free blocks, sorted by offset, never adjacent (they are merged). */
  private readonly freeBlocks: { at: number; bytes: number }[] = [];
  private readonly sizes = new Map<number, number>();
  private readonly finalizer = new FinalizationRegistry<Set<number>>((offsets) => {
    for (const at of offsets) this.free(at);
  });
  private top = ALIGN; // offset 0 stays unused: 0 means "none" to the kernels

  private constructor() {
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const module = new WebAssembly.Module(Buffer.from(SAMPLING_KERNEL_WASM, 'base64'));
    this.kernel = new WebAssembly.Instance(module, { env: { memory: this.memory } })
      .exports as unknown as SamplingKernel;
  }

  /**
   * An allocator for the blocks of `owner` (a partition, a batch's buffers): blocks it still holds are freed when
   * `owner` is garbage collected, so no view of them can be in use any more.
   */
  blocksOf(owner: object): HeapBlocks {
    const blocks = new HeapBlocks(this);
    this.finalizer.register(owner, blocks.offsets);
    return blocks;
  }

  /** A new Int32Array of `length` in the heap (contents undefined), or undefined when the heap is full. */
  int32(length: number): Int32Array | undefined {
    const at = this.allocate(4 * length);
    return at === undefined ? undefined : new Int32Array(this.memory.buffer, at, length);
  }

  /** Whether `array` is a block of this heap, so the kernels can address it by its offset. */
  holds(array: Int32Array): boolean {
    return array.buffer instanceof SharedArrayBuffer && this.sizes.has(array.byteOffset);
  }

  /** Gives back the block at `at` at once; nothing may use a view of it afterwards. */
  free(at: number): void {
    const bytes = this.sizes.get(at);
    if (bytes === undefined) return;
    this.sizes.delete(at);
    const blocks = this.freeBlocks;
    let i = 0;
    while (i < blocks.length && blocks[i].at < at) i++;
    blocks.splice(i, 0, { at, bytes });
    // Merge with the next block, then with the previous one.
    if (i + 1 < blocks.length && blocks[i].at + blocks[i].bytes === blocks[i + 1].at) {
      blocks[i].bytes += blocks[i + 1].bytes;
      blocks.splice(i + 1, 1);
    }
    if (i > 0 && blocks[i - 1].at + blocks[i - 1].bytes === blocks[i].at) {
      blocks[i - 1].bytes += blocks[i].bytes;
      blocks.splice(i, 1);
      i--;
    }
    // A free block at the top goes back to the unallocated space above it.
    const last = blocks[blocks.length - 1];
    if (last.at + last.bytes === this.top) {
      this.top = last.at;
      blocks.pop();
    }
  }

  /** Bytes the heap's memory spans. */
  get size(): number {
    return this.memory.buffer.byteLength;
  }

  private allocate(bytes: number): number | undefined {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const blocks = this.freeBlocks;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      if (block.bytes < size) continue;
      const at = block.at;
      if (block.bytes === size) blocks.splice(i, 1);
      else {
        block.at += size;
        block.bytes -= size;
      }
      this.sizes.set(at, size);
      return at;
    }
    const at = this.top;
    const end = at + size;
    if (end > MAX_PAGES * WASM_PAGE) return undefined;
    const pages = this.memory.buffer.byteLength / WASM_PAGE;
    if (end > pages * WASM_PAGE) {
      // Grow by at least a quarter, so a growing batch buffer does not grow the memory on every step.
      const want = Math.max(Math.ceil(end / WASM_PAGE), Math.ceil(pages * 1.25));
      this.memory.grow(Math.min(want, MAX_PAGES) - pages);
    }
    this.top = end;
    this.sizes.set(at, size);
    return at;
  }
}

/** The heap blocks one owner holds. */
export class HeapBlocks {
  readonly offsets = new Set<number>();

  constructor(readonly heap: KernelHeap) {}

  /** A new Int32Array in the heap (contents undefined), or undefined when the heap is full. */
  int32(length: number): Int32Array | undefined {
    const array = this.heap.int32(length);
    if (array) this.offsets.add(array.byteOffset);
    return array;
  }

  /** A heap copy of `data`, or undefined when the heap is full. */
  copy(data: Int32Array): Int32Array | undefined {
    const array = this.int32(data.length);
    array?.set(data);
    return array;
  }

  /** Frees `array`'s block now, when this owner holds it; nothing may use the array afterwards. */
  release(array: Int32Array): void {
    if (this.offsets.delete(array.byteOffset)) this.heap.free(array.byteOffset);
  }
}

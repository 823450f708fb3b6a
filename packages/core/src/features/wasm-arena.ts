import { FanoutError } from '../errors/index.ts';

/**
 * The gather kernel, assembled from this WebAssembly text (wat2wasm with bulk memory):
 *
 *   (module
 *     (import "env" "memory" (memory 1))
 *     ;; gather(offsets, n, rowBytes, dst): for i < n, copy rowBytes bytes from the i-th offset to dst + i * rowBytes.
 *     (func (export "gather") (param $offsets i32) (param $n i32) (param $rowBytes i32) (param $dst i32)
 *       (local $i i32)
 *       (block $done
 *         (loop $next
 *           (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
 *           (memory.copy
 *             (i32.add (local.get $dst) (i32.mul (local.get $i) (local.get $rowBytes)))
 *             (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $i) (i32.const 2))))
 *             (local.get $rowBytes))
 *           (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *           (br $next)))))
 *
 * `memory.copy` is a native memmove: rows move at memcpy speed, where a JavaScript row copy either allocates a view
 * per row (`set(subarray(…))`) or moves one element at a time.
 */
const GATHER_KERNEL =
  'AGFzbQEAAAABCAFgBH9/f38AAg8BA2VudgZtZW1vcnkCAAEDAgEABwoBBmdhdGhlcgAACjUBMwEBfwJAA0AgBCABTw0BIAMgBCACbGogACAEQQJ0aigCACAC/AoAACAEQQFqIQQMAAsLCw==';

const WASM_PAGE = 65_536;
/** wasm32's address space. */
const MAX_BYTES = 4 * 2 ** 30;
const ALIGN = 64;

const kernelModule = new WebAssembly.Module(Buffer.from(GATHER_KERNEL, 'base64'));

/**
 * Feature pages held in WebAssembly memory, so one kernel call gathers a batch's rows with native copies. Blocks are
 * allocated by size class (pages of a feature all have one size, bar each partition's last), reused when freed, and
 * new ones taken from the top of memory, which grows as needed.
 */
export class WasmArena {
  private readonly memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_BYTES / WASM_PAGE });
  private readonly gatherRows: (offsets: number, n: number, rowBytes: number, dst: number) => void;
  private readonly free = new Map<number, number[]>();
  /** Scratch for a gather's source offsets and its output, reused across calls. */
  private scratch = { at: 0, bytes: 0 };
  private top = ALIGN; // offset 0 stays unused, so no block is at address 0

  constructor() {
    const instance = new WebAssembly.Instance(kernelModule, { env: { memory: this.memory } });
    this.gatherRows = instance.exports.gather as (offsets: number, n: number, rowBytes: number, dst: number) => void;
  }

  /** A block of `bytes` holding a copy of `data`; its offset in the arena. */
  store(data: Float32Array): number {
    const at = this.allocate(data.length);
    new Float32Array(this.memory.buffer, at, data.length).set(data);
    return at;
  }

  /** Returns a block from `store` of `data`'s length in float32 values. */
  release(at: number, length: number): void {
    const bytes = roundUp(4 * length);
    const list = this.free.get(bytes) ?? [];
    list.push(at);
    this.free.set(bytes, list);
  }

  /**
   * Copies rows of `rowBytes` bytes from the arena offsets `source(i)` (i < n), in order, into `out`: into arena
   * memory at offset `out` directly, or into a typed array (gathered into scratch, then moved out with one copy).
   */
  gather(n: number, rowBytes: number, source: (offsets: Int32Array) => void, out: Float32Array | number): void {
    const offsetBytes = roundUp(4 * n);
    const outBytes = typeof out === 'number' ? 0 : n * rowBytes;
    this.reserveScratch(offsetBytes + outBytes);
    const offsets = new Int32Array(this.memory.buffer, this.scratch.at, n);
    source(offsets);
    const dst = typeof out === 'number' ? out : this.scratch.at + offsetBytes;
    this.gatherRows(this.scratch.at, n, rowBytes, dst);
    if (typeof out !== 'number') out.set(new Float32Array(this.memory.buffer, dst, outBytes / 4));
  }

  /** A block of `length` float32 values for gathers to write into; its offset. Give it back with `release`. */
  allocate(length: number): number {
    const bytes = roundUp(4 * length);
    return this.free.get(bytes)?.pop() ?? this.take(bytes);
  }

  /** The float32 values at `at`: a view that stays valid until the memory next grows. */
  view(at: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, length);
  }

  /** Bytes the arena's memory holds (allocated blocks, free ones and scratch). */
  get size(): number {
    return this.memory.buffer.byteLength;
  }

  private reserveScratch(bytes: number): void {
    if (this.scratch.bytes >= bytes) return;
    if (this.scratch.bytes > 0) this.release(this.scratch.at, this.scratch.bytes / 4);
    const size = roundUp(Math.max(bytes, 2 * this.scratch.bytes));
    this.scratch = { at: this.free.get(size)?.pop() ?? this.take(size), bytes: size };
  }

  private take(bytes: number): number {
    const at = this.top;
    if (at + bytes > MAX_BYTES) {
      throw new FanoutError('LIMIT_EXCEEDED', `the feature cache cannot pass WebAssembly's 4 GiB address space`);
    }
    const need = at + bytes - this.memory.buffer.byteLength;
    if (need > 0) {
      const grow = Math.max(Math.ceil(need / WASM_PAGE), Math.ceil(this.memory.buffer.byteLength / 4 / WASM_PAGE));
      this.memory.grow(Math.min(grow, MAX_BYTES / WASM_PAGE - this.memory.buffer.byteLength / WASM_PAGE));
    }
    this.top = at + bytes;
    return at;
  }
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

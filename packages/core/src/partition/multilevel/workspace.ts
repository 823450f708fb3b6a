/** The typed arrays a workspace hands out. */
export type WorkArray = Int32Array | Uint16Array | Uint8Array;

export interface WorkArrayType<T extends WorkArray> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Free bytes [offset, offset + bytes) of one of the workspace's buffers. */
interface FreeBlock {
  buffer: ArrayBuffer;
  offset: number;
  bytes: number;
}

/** Blocks start on 8-byte boundaries, so a block of any array type can hold an array of any other. */
const ALIGN = 8;

/**
 * A take is carved from a free block at most this many times its size. Smaller takes (scratch arrays) get buffers
 * of their own, so they do not split the large blocks a coarser level's arrays need whole: on a random 3M-arc graph
 * the workspace held 71 MB rather than 81.
 */
const SPLIT_LIMIT = 8;

/**
 * Typed arrays taken and given back explicitly, as METIS's workspace (`mcore`) does it, so the memory one stage
 * gives back is what the next one takes. V8 frees an array buffer only when it collects the array, and it starts a
 * collection for array buffers only after 64 MB of them have piled up; a run that allocates little on the JS heap
 * (as the partitioner does) keeps every level and scratch array it ever made until then. For ego-Twitter that was
 * 16 MB above the 33 MB actually live.
 *
 * Buffers are carved best-fit and coalesced on return; arrays come zeroed, as `new Int32Array(n)` would. Only
 * arrays that nothing else refers to may be given back.
 */
export class Workspace {
  /** Sorted by buffer (in the order they were made), then offset; adjacent free blocks are always merged. */
  private readonly free: FreeBlock[] = [];
  private readonly order = new Map<ArrayBuffer, number>();
  /** Bytes reserved by each array handed out and not yet given back, by its buffer's order and offset. */
  private readonly held = new Map<number, number>();
  private allocated = 0;

  /** Bytes of all the buffers made so far: the memory the work done with this workspace needed at its peak. */
  get bytes(): number {
    return this.allocated;
  }

  take<T extends WorkArray>(type: WorkArrayType<T>, length: number): T {
    const bytes = aligned(length * type.BYTES_PER_ELEMENT);
    if (bytes === 0) return new type(new ArrayBuffer(0), 0, 0);
    let best = -1;
    for (let i = 0; i < this.free.length; i++)
      if (this.free[i].bytes >= bytes && (best < 0 || this.free[i].bytes < this.free[best].bytes)) best = i;
    if (best >= 0 && this.free[best].bytes > SPLIT_LIMIT * bytes) best = -1;
    if (best < 0) {
      const buffer = new ArrayBuffer(bytes);
      this.allocated += bytes;
      this.order.set(buffer, this.order.size);
      this.held.set(this.key(buffer, 0), bytes);
      return new type(buffer, 0, length);
    }
    const block = this.free[best];
    const array = new type(block.buffer, block.offset, length);
    // A remainder under 1/SPLIT_LIMIT of the take stays with it, for the reason `shrink` keeps small tails.
    const reserved = SPLIT_LIMIT * (block.bytes - bytes) < bytes ? block.bytes : bytes;
    this.held.set(this.key(block.buffer, block.offset), reserved);
    block.offset += reserved;
    block.bytes -= reserved;
    if (block.bytes === 0) this.free.splice(best, 1);
    array.fill(0);
    return array;
  }

  /** Takes an array and copies `source` into it. */
  copy<T extends WorkArray>(type: WorkArrayType<T>, source: ArrayLike<number>): T {
    const array = this.take(type, source.length);
    array.set(source);
    return array;
  }

  /**
   * The first `length` values of a taken array (for arrays sized by an upper bound), the rest given back if it is
   * at least 1/SPLIT_LIMIT of the array. A smaller tail stays reserved until the array is given back: lent out, it
   * went to some small long-lived array (a coarse level's map), and the large block could not be whole again when
   * its level was rebuilt (on the 2M-node graph, a fresh 480 MB). `take` keeps a block's small remainder so too.
   */
  shrink<T extends WorkArray>(array: T, length: number): T {
    const key = this.key(array.buffer as ArrayBuffer, array.byteOffset);
    const bytes = this.held.get(key);
    if (bytes === undefined) throw new Error('Workspace.shrink: the array was not taken from this workspace');
    const keep = aligned(length * array.BYTES_PER_ELEMENT);
    if (SPLIT_LIMIT * (bytes - keep) >= bytes) {
      this.held.set(key, keep);
      this.insert({ buffer: array.buffer as ArrayBuffer, offset: array.byteOffset + keep, bytes: bytes - keep });
    }
    return array.subarray(0, length) as T;
  }

  /** Gives arrays back for later takes. Each must be an array this workspace handed out (or its shrunk head). */
  give(...arrays: WorkArray[]): void {
    for (const array of arrays) {
      if (array.byteLength === 0) continue;
      const buffer = array.buffer as ArrayBuffer;
      if (!this.order.has(buffer)) throw new Error('Workspace.give: the array was not taken from this workspace');
      const key = this.key(buffer, array.byteOffset);
      const bytes = this.held.get(key);
      if (bytes === undefined) throw new Error('Workspace.give: the array was given back already');
      this.held.delete(key);
      this.insert({ buffer, offset: array.byteOffset, bytes });
    }
  }

  private key(buffer: ArrayBuffer, offset: number): number {
    return this.order.get(buffer)! * 2 ** 32 + offset;
  }

  private insert(block: FreeBlock): void {
    const at = this.key(block.buffer, block.offset);
    let i = 0;
    while (i < this.free.length && this.key(this.free[i].buffer, this.free[i].offset) < at) i++;
    const before = this.free[i - 1];
    const after = this.free[i];
    const joinsBefore = before?.buffer === block.buffer && before.offset + before.bytes === block.offset;
    const joinsAfter = after?.buffer === block.buffer && block.offset + block.bytes === after.offset;
    if (joinsBefore && joinsAfter) {
      before.bytes += block.bytes + after.bytes;
      this.free.splice(i, 1);
    } else if (joinsBefore) before.bytes += block.bytes;
    else if (joinsAfter) {
      after.offset = block.offset;
      after.bytes += block.bytes;
    } else this.free.splice(i, 0, block);
  }
}

function aligned(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/**
 * The relabel table for graphs whose internal IDs span a modest range: a direct-mapped array with one word per node
 * ID, the batch's stamp above the node's local index, so a lookup is one memory access and never probes. On
 * ego-Twitter the whole table (325 KB) stays in L2, where the open-addressing table of a 48k-node batch does not,
 * and the coordinator's merge runs twice as fast; one word instead of a [stamp, local] pair halves what each batch in
 * flight keeps in cache. Costs 4 bytes per node of the graph per batch in flight, so it is used up to a few million
 * nodes.
 */
export class DenseNodeMap {
  /** Largest ID range served by a dense table (16 MB per batch in flight). */
  static readonly MAX_NODES = 1 << 22;
  /** One word per node ID: it holds a node of this batch when its bits above `mask` are the current tag. */
  readonly slots: Int32Array;
  /**
   * The local-index bits of a slot. A batch holds each node once (the table serves non-disjoint batches only), so a
   * local index is below the ID range; the bits above count batches, 2^10 at least before the table is cleared.
   */
  readonly mask: number;
  private readonly localBits: number;
  private current = 1;

  /** `slots` is zeroed memory of `numNodes` words (the kernel heap's, for the kernels to relabel in). */
  constructor(numNodes: number, slots: Int32Array = new Int32Array(numNodes)) {
    this.slots = slots;
    this.localBits = Math.max(1, Math.ceil(Math.log2(numNodes)));
    this.mask = 2 ** this.localBits - 1;
  }

  /** The current batch's stamp, shifted above the local index. */
  get tag(): number {
    return this.current << this.localBits;
  }

  reset(): void {
    if (++this.current === 2 ** (32 - this.localBits)) {
      this.slots.fill(0);
      this.current = 1;
    }
  }

  /** The local index of `key`, inserting `next` when absent: the result equals `next` exactly when inserted. */
  getOrInsert(key: number, next: number): number {
    const slot = this.slots[key];
    const tag = this.tag;
    if ((slot & ~this.mask) === tag) return slot & this.mask;
    this.slots[key] = tag | next;
    return next;
  }
}

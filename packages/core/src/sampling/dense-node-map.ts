/**
 * The relabel table for graphs whose internal IDs span a modest range: a direct-mapped array, one [stamp, local]
 * pair per node ID, so a lookup is one memory access and never probes. On ego-Twitter the whole table (650 KB) stays
 * in L2, where the open-addressing table of a 48k-node batch does not, and the coordinator's merge runs twice as
 * fast. Costs 8 bytes per node of the graph per batch in flight, so it is used up to a few million nodes.
 */
export class DenseNodeMap {
  /** Largest ID range served by a dense table (32 MB per batch in flight). */
  static readonly MAX_NODES = 1 << 22;
  /** [stamp, local] per node ID: a slot holds a node of this batch when its stamp is the current one. */
  readonly slots: Int32Array;
  private current = 1;

  /** `slots` is zeroed memory of 2 × numNodes words (the kernel heap's, for the kernels to relabel in). */
  constructor(numNodes: number, slots: Int32Array = new Int32Array(2 * numNodes)) {
    this.slots = slots;
  }

  /** The current batch's stamp. */
  get stamp(): number {
    return this.current;
  }

  reset(): void {
    if (++this.current === 0x7fffffff) {
      this.slots.fill(0);
      this.current = 1;
    }
  }

  /** The local index of `key`, inserting `next` when absent: the result equals `next` exactly when inserted. */
  getOrInsert(key: number, next: number): number {
    const at = 2 * key;
    if (this.slots[at] === this.current) return this.slots[at + 1];
    this.slots[at] = this.current;
    this.slots[at + 1] = next;
    return next;
  }
}

/**
 * Open-addressing map from (node ID, batch row) to a batch-local index: the relabel table of one sampled batch, as
 * the reference sampler and pyg-lib keep it. A slot is three adjacent Int32s [key, row, value] so a probe touches
 * one cache line; key -1 marks an empty slot. `reset` clears only the slots used, so it costs the batch's node count;
 * the table doubles at half load.
 * The batch row is 0 unless sampling is disjoint, where the same node in two seeds' trees is two local nodes.
 */
const EMPTY = -1;

export class NodeMap {
  private slots: Int32Array;
  private used: Int32Array;
  private bits: number;
  size = 0;

  constructor(capacity = 1 << 12) {
    this.bits = Math.max(4, Math.ceil(Math.log2(capacity * 2)));
    this.slots = new Int32Array(3 << this.bits).fill(EMPTY);
    this.used = new Int32Array(1 << (this.bits - 1));
  }

  reset(): void {
    const { slots, used } = this;
    for (let i = 0; i < this.size; i++) slots[used[i]] = EMPTY;
    this.size = 0;
  }

  /**
   * The local index of (key ≥ 0, row), inserting `next` when absent: the result equals `next` exactly when inserted.
   */
  getOrInsert(key: number, row: number, next: number): number {
    const slots = this.slots;
    const mask = (1 << this.bits) - 1;
    let h = Math.imul(key ^ Math.imul(row, 0x27d4eb2f), 0x9e3779b1) >>> (32 - this.bits);
    for (;;) {
      const at = 3 * h;
      const k = slots[at];
      if (k === EMPTY) {
        if (2 * (this.size + 1) > mask + 1) {
          this.grow();
          return this.getOrInsert(key, row, next);
        }
        slots[at] = key;
        slots[at + 1] = row;
        slots[at + 2] = next;
        this.used[this.size++] = at;
        return next;
      }
      if (k === key && slots[at + 1] === row) return slots[at + 2];
      h = (h + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const oldUsed = this.used;
    const count = this.size;
    this.bits++;
    this.slots = new Int32Array(3 << this.bits).fill(EMPTY);
    this.used = new Int32Array(1 << (this.bits - 1));
    this.size = 0;
    for (let i = 0; i < count; i++) {
      const at = oldUsed[i];
      this.getOrInsert(old[at], old[at + 1], old[at + 2]);
    }
  }
}

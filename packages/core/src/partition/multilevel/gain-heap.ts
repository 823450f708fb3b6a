/**
 * A binary max-heap of (gain, node) on typed arrays with lazy deletion: a node's gain changes by pushing it again;
 * entries whose gain no longer matches the node's current gain (or whose node is locked) are skipped when popped.
 */
export class GainHeap {
  private gains: Float64Array;
  private nodes: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.gains = new Float64Array(Math.max(16, capacity));
    this.nodes = new Int32Array(Math.max(16, capacity));
  }

  clear(): void {
    this.size = 0;
  }

  push(gain: number, node: number): void {
    if (this.size === this.gains.length) {
      const gains = new Float64Array(2 * this.size);
      gains.set(this.gains);
      const nodes = new Int32Array(2 * this.size);
      nodes.set(this.nodes);
      this.gains = gains;
      this.nodes = nodes;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.gains[parent] >= gain) break;
      this.gains[i] = this.gains[parent];
      this.nodes[i] = this.nodes[parent];
      i = parent;
    }
    this.gains[i] = gain;
    this.nodes[i] = node;
  }

  topGain(): number {
    return this.gains[0];
  }

  /** Removes and returns the node with the largest gain. */
  pop(): number {
    const top = this.nodes[0];
    const lastGain = this.gains[--this.size];
    const lastNode = this.nodes[this.size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.gains[child + 1] > this.gains[child]) child++;
      if (this.gains[child] <= lastGain) break;
      this.gains[i] = this.gains[child];
      this.nodes[i] = this.nodes[child];
      i = child;
    }
    this.gains[i] = lastGain;
    this.nodes[i] = lastNode;
    return top;
  }
}

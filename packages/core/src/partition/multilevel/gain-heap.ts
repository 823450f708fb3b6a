/**
 * An addressable binary max-heap of nodes keyed by gain, on typed arrays: each node is in it at most once, and a
 * node's gain changes in place (METIS's priority queues work the same way). It never holds more than the graph's
 * nodes, where a heap with lazy deletion grows with every gain update (on a dense coarsest graph, to millions of
 * stale entries).
 */
export class GainHeap {
  /**
   * Gains, like every sum of edge weights in the partitioner, are integers that fit in 32 bits (a graph has fewer than
   * 2^31 arcs). Integer arrays keep them unboxed: Float64Array reads allocated a heap number each wherever V8 had not
   * optimized the loop yet, 140 MB of garbage per run on ego-Twitter, which grew V8's young generation and the RSS.
   */
  private gains = new Int32Array(0);
  private nodes = new Int32Array(0);
  /** Heap index of each node, -1 when absent. */
  private position = new Int32Array(0);
  size = 0;

  /** Empties the heap for nodes 0 … n-1. */
  clear(n: number): void {
    if (this.position.length < n) {
      this.gains = new Int32Array(n);
      this.nodes = new Int32Array(n);
      this.position = new Int32Array(n);
    }
    this.position.fill(-1, 0, n);
    this.size = 0;
  }

  /** Inserts the node, or moves it to its new gain. */
  set(node: number, gain: number): void {
    const at = this.position[node];
    if (at < 0) this.siftUp(this.size++, node, gain);
    else if (gain > this.gains[at]) this.siftUp(at, node, gain);
    else this.siftDown(at, node, gain);
  }

  topGain(): number {
    return this.gains[0];
  }

  /** Removes and returns the node with the largest gain. */
  pop(): number {
    const top = this.nodes[0];
    this.position[top] = -1;
    const last = --this.size;
    if (last > 0) this.siftDown(0, this.nodes[last], this.gains[last]);
    return top;
  }

  private siftUp(i: number, node: number, gain: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.gains[parent] >= gain) break;
      this.place(i, this.nodes[parent], this.gains[parent]);
      i = parent;
    }
    this.place(i, node, gain);
  }

  private siftDown(i: number, node: number, gain: number): void {
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.gains[child + 1] > this.gains[child]) child++;
      if (this.gains[child] <= gain) break;
      this.place(i, this.nodes[child], this.gains[child]);
      i = child;
    }
    this.place(i, node, gain);
  }

  private place(i: number, node: number, gain: number): void {
    this.gains[i] = gain;
    this.nodes[i] = node;
    this.position[node] = i;
  }
}

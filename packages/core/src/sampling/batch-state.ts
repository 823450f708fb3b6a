import { DenseNodeMap } from './dense-node-map.ts';
import { type HeapBlocks, KernelHeap } from './kernel/kernel-heap.ts';
import { NodeMap } from './node-map.ts';

/**
 * A sampled batch as it grows, in two halves: the nodes of one node type (internal IDs, batch rows, and the relabel
 * table from node to batch-local index) and the edges of one edge type. A homogeneous sample is one of each; a
 * heterogeneous one has a node set per node type and an edge set per edge type. Both are reused from batch to
 * batch; capacity is reserved before each hop, so `append` never checks it. Their arrays live in the kernel heap
 * where there is one, so the merge kernel can append to them (see KernelHeap).
 */
export class SampledNodes {
  /** Relabel tables: direct-mapped when the graph is small enough and sampling not disjoint, else hashed. */
  readonly dense?: DenseNodeMap;
  private readonly hashed = new NodeMap(1 << 14);
  private useDense = false;
  private readonly blocks = heapBlocks(this);
  nodes: Int32Array = allocate(this.blocks, 1 << 14);
  batchRows: Int32Array = new Int32Array(1 << 14);
  numNodes = 0;

  constructor(numNodes: number) {
    if (numNodes <= DenseNodeMap.MAX_NODES) {
      this.dense = new DenseNodeMap(numNodes, this.blocks?.int32(numNodes)?.fill(0));
    }
  }

  /** The direct-mapped table, when this batch relabels through it. */
  get denseMap(): DenseNodeMap | undefined {
    return this.useDense ? this.dense : undefined;
  }

  reset(disjoint: boolean): void {
    this.useDense = this.dense !== undefined && !disjoint;
    if (this.useDense) this.dense!.reset();
    else this.hashed.reset();
    this.numNodes = 0;
  }

  /** Room for `count` more nodes. */
  reserve(count: number): void {
    const need = this.numNodes + count;
    if (need > this.nodes.length) {
      const size = Math.max(need, 2 * this.nodes.length);
      this.nodes = grow(this.nodes, size, this.numNodes, this.blocks);
      this.batchRows = grow(this.batchRows, size, this.numNodes);
    }
  }

  /** The local index of `node` (of `batchRow` when disjoint), added as the next one on first sight. */
  insert(node: number, batchRow: number): number {
    const local = this.useDense
      ? this.dense!.getOrInsert(node, this.numNodes)
      : this.hashed.getOrInsert(node, batchRow, this.numNodes);
    if (local === this.numNodes) {
      this.nodes[local] = node;
      this.batchRows[local] = batchRow;
      this.numNodes++;
    }
    return local;
  }
}

export class SampledEdges {
  private readonly blocks = heapBlocks(this);
  row: Int32Array = allocate(this.blocks, 1 << 16);
  col: Int32Array = allocate(this.blocks, 1 << 16);
  eidHalves: Int32Array = allocate(this.blocks, 1 << 17);
  numEdges = 0;

  /** Room for `count` more edges. */
  reserve(count: number): void {
    const need = this.numEdges + count;
    if (need > this.row.length) {
      const size = Math.max(need, 2 * this.row.length);
      this.row = grow(this.row, size, this.numEdges, this.blocks);
      this.col = grow(this.col, size, this.numEdges, this.blocks);
      this.eidHalves = grow(this.eidHalves, 2 * size, 2 * this.numEdges, this.blocks);
    }
  }

  /** Edge neighbor → destination position `col`, relabelling the neighbor into `sources` (new on first sight). */
  append(sources: SampledNodes, neighbor: number, batchRow: number, col: number, eidLo: number, eidHi: number): void {
    const e = this.numEdges++;
    this.row[e] = sources.insert(neighbor, batchRow);
    this.col[e] = col;
    this.eidHalves[2 * e] = eidLo;
    this.eidHalves[2 * e + 1] = eidHi;
  }
}

function heapBlocks(owner: object): HeapBlocks | undefined {
  return KernelHeap.get()?.blocksOf(owner);
}

/** In the kernel heap when there is room, else an ordinary array (the JavaScript paths then serve). */
function allocate(blocks: HeapBlocks | undefined, size: number): Int32Array {
  return blocks?.int32(size) ?? new Int32Array(size);
}

function grow(array: Int32Array, size: number, used: number, blocks?: HeapBlocks): Int32Array {
  const next = allocate(blocks, size);
  next.set(array.subarray(0, used));
  blocks?.release(array);
  return next;
}

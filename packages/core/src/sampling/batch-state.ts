import { DenseNodeMap } from './dense-node-map.ts';
import { NodeMap } from './node-map.ts';

/**
 * A sampled batch as it grows, in two halves: the nodes of one node type (internal IDs, batch rows, and the relabel
 * table from node to batch-local index) and the edges of one edge type. A homogeneous sample is one of each; a
 * heterogeneous one has a node set per node type and an edge set per edge type. Both are reused from batch to
 * batch; capacity is reserved before each hop, so `append` never checks it.
 */
export class SampledNodes {
  /** Relabel tables: direct-mapped when the graph is small enough and sampling not disjoint, else hashed. */
  private readonly dense?: DenseNodeMap;
  private readonly hashed = new NodeMap(1 << 14);
  private useDense = false;
  nodes: Int32Array = new Int32Array(1 << 14);
  batchRows: Int32Array = new Int32Array(1 << 14);
  numNodes = 0;

  constructor(numNodes: number) {
    if (numNodes <= DenseNodeMap.MAX_NODES) this.dense = new DenseNodeMap(numNodes);
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
      this.nodes = grow(this.nodes, size, this.numNodes);
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
  row: Int32Array = new Int32Array(1 << 16);
  col: Int32Array = new Int32Array(1 << 16);
  eidHalves: Int32Array = new Int32Array(1 << 17);
  numEdges = 0;

  /** Room for `count` more edges. */
  reserve(count: number): void {
    const need = this.numEdges + count;
    if (need > this.row.length) {
      const size = Math.max(need, 2 * this.row.length);
      this.row = grow(this.row, size, this.numEdges);
      this.col = grow(this.col, size, this.numEdges);
      this.eidHalves = grow(this.eidHalves, 2 * size, 2 * this.numEdges);
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

function grow(array: Int32Array, size: number, used: number): Int32Array {
  const next = new Int32Array(size);
  next.set(array.subarray(0, used));
  return next;
}

import { DenseNodeMap } from './dense-node-map.ts';
import { NodeMap } from './node-map.ts';

/**
 * One sampled batch as it grows: its nodes (internal IDs, batch rows), its edges, and the relabel table from node to
 * batch-local index. Reused from batch to batch; capacity is reserved before each hop, so `append` never checks it.
 */
export class BatchState {
  /** Relabel tables: direct-mapped when the graph is small enough and sampling not disjoint, else hashed. */
  private readonly dense?: DenseNodeMap;
  private readonly hashed = new NodeMap(1 << 14);
  private useDense = false;
  nodes: Int32Array = new Int32Array(1 << 14);
  batchRows: Int32Array = new Int32Array(1 << 14);
  row: Int32Array = new Int32Array(1 << 16);
  col: Int32Array = new Int32Array(1 << 16);
  eidHalves: Int32Array = new Int32Array(1 << 17);
  numNodes = 0;
  numEdges = 0;

  constructor(numNodes: number) {
    if (numNodes <= DenseNodeMap.MAX_NODES) this.dense = new DenseNodeMap(numNodes);
  }

  reset(seeds: number, disjoint: boolean): void {
    this.useDense = this.dense !== undefined && !disjoint;
    if (this.useDense) this.dense!.reset();
    else this.hashed.reset();
    this.numNodes = 0;
    this.numEdges = 0;
    this.reserve(seeds);
  }

  /** Room for `edges` more edges and as many new nodes, so `append` never checks. */
  reserve(edges: number): void {
    const needNodes = this.numNodes + edges;
    if (needNodes > this.nodes.length) {
      const size = Math.max(needNodes, 2 * this.nodes.length);
      this.nodes = grow(this.nodes, size, this.numNodes);
      this.batchRows = grow(this.batchRows, size, this.numNodes);
    }
    const needEdges = this.numEdges + edges;
    if (needEdges > this.row.length) {
      const size = Math.max(needEdges, 2 * this.row.length);
      this.row = grow(this.row, size, this.numEdges);
      this.col = grow(this.col, size, this.numEdges);
      this.eidHalves = grow(this.eidHalves, 2 * size, 2 * this.numEdges);
    }
  }

  /** Edge neighbor → frontier position `col`, relabelling the neighbor (a new local node on first sight). */
  append(neighbor: number, batchRow: number, col: number, eidLo: number, eidHi: number): void {
    const local = this.useDense
      ? this.dense!.getOrInsert(neighbor, this.numNodes)
      : this.hashed.getOrInsert(neighbor, batchRow, this.numNodes);
    if (local === this.numNodes) {
      this.nodes[local] = neighbor;
      this.batchRows[local] = batchRow;
      this.numNodes++;
    }
    const e = this.numEdges++;
    this.row[e] = local;
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

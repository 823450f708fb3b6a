import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';

/**
 * Translates node IDs of one type between the original IDs users speak and the internal IDs partitions store, by
 * ranged reads of whole record batches of `ids.<ntype>.arrow`, verified and cached. A batch serves both directions
 * for its rows, so a translator fetches only the parts of the map a workload touches.
 */
export class IdTranslator {
  /** Per record batch, its rows of each column (dense by batch number; holes until fetched). */
  private readonly internalOfOrig: Int32Array[] = [];
  private readonly origOfInternal: Int32Array[] = [];
  private readonly rowsPerBatch: number;
  readonly numNodes: number;

  constructor(
    private readonly graph: PartitionedGraph,
    readonly ntype: string,
  ) {
    const m = graph.manifest;
    if (!m.ids[ntype]) throw new FanoutError('NOT_FOUND', `graph ${m.graph_name} has no node type "${ntype}"`);
    this.rowsPerBatch = m.rows_per_batch;
    const ranges = m.node_map[ntype];
    this.numNodes = ranges[ranges.length - 1][1];
  }

  /** Internal IDs of original IDs; an ID outside [0, num_nodes) is an UNKNOWN_NODE error naming it. */
  async toInternal(orig: ArrayLike<number>): Promise<Int32Array> {
    for (let i = 0; i < orig.length; i++) {
      const id = orig[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.numNodes) {
        throw new FanoutError(
          'UNKNOWN_NODE',
          `node ${id} does not exist: ${this.graph.manifest.graph_name} has ${this.ntype} IDs 0..${this.numNodes - 1}`,
        );
      }
    }
    return this.map(orig, this.internalOfOrig);
  }

  /** Original IDs of internal IDs (which the engine produced, so they are in range). */
  async toOriginal(internal: ArrayLike<number>): Promise<Int32Array> {
    return this.map(internal, this.origOfInternal);
  }

  private async map(ids: ArrayLike<number>, cache: Int32Array[]): Promise<Int32Array> {
    await this.ensure(ids, cache);
    const out = new Int32Array(ids.length);
    const rpb = this.rowsPerBatch;
    for (let i = 0; i < ids.length; i++) {
      const b = Math.floor(ids[i] / rpb);
      out[i] = cache[b][ids[i] - b * rpb];
    }
    return out;
  }

  /** Fetches the missing batches, adjacent ones coalesced into one ranged read. */
  private async ensure(ids: ArrayLike<number>, cache: Int32Array[]): Promise<void> {
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const b = Math.floor(ids[i] / this.rowsPerBatch);
      if (cache[b] === undefined && !missing.includes(b)) missing.push(b);
    }
    if (missing.length === 0) return;
    const sorted = missing.sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const b of sorted) {
      const last = runs[runs.length - 1];
      if (last && last[1] === b - 1) last[1] = b;
      else runs.push([b, b]);
    }
    const reader = this.graph.fileReader(this.graph.manifest.ids[this.ntype]);
    await Promise.all(
      runs.map(async ([first, last]) => {
        const table = await reader.readBatches(first, last);
        const internalOfOrig = table.getChild('internal_of_orig')!.toArray() as Int32Array;
        const origOfInternal = table.getChild('orig_of_internal')!.toArray() as Int32Array;
        for (let b = first; b <= last; b++) {
          const from = (b - first) * this.rowsPerBatch;
          const to = Math.min(from + this.rowsPerBatch, internalOfOrig.length);
          this.internalOfOrig[b] = internalOfOrig.subarray(from, to);
          this.origOfInternal[b] = origOfInternal.subarray(from, to);
        }
      }),
    );
  }
}

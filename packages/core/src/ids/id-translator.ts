import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';

/**
 * Translates node IDs of one type between the original IDs users speak and the internal IDs partitions store, by
 * ranged reads of whole record batches of `ids.<ntype>.arrow`, verified and cached. A batch serves both directions
 * for its rows, so a translator fetches only the parts of the map a workload touches.
 */
export class IdTranslator {
  /** Each direction's cached map: per record batch until every batch is fetched, then one flat array. */
  private readonly internalOfOrig: IdMap;
  private readonly origOfInternal: IdMap;
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
    const numBatches = Math.ceil(this.numNodes / this.rowsPerBatch);
    this.internalOfOrig = { batches: [], missing: numBatches };
    this.origOfInternal = { batches: [], missing: numBatches };
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

  /** Original IDs of internal IDs (which the engine produced, so they are in range), into `out` when given. */
  async toOriginal(internal: ArrayLike<number>, out?: Int32Array): Promise<Int32Array> {
    return this.map(internal, this.origOfInternal, out);
  }

  private async map(
    ids: ArrayLike<number>,
    map: IdMap,
    out: Int32Array = new Int32Array(ids.length),
  ): Promise<Int32Array> {
    // The steady state of a sampler: the whole map is cached, so one gather, no per-ID batch arithmetic.
    if (map.flat) {
      const flat = map.flat;
      for (let i = 0; i < ids.length; i++) out[i] = flat[ids[i]];
      return out;
    }
    await this.ensure(ids);
    const rpb = this.rowsPerBatch;
    for (let i = 0; i < ids.length; i++) {
      const b = Math.floor(ids[i] / rpb);
      out[i] = map.batches[b][ids[i] - b * rpb];
    }
    return out;
  }

  /** Fetches the batches `ids` fall in that are missing (both directions at once), adjacent ones in one ranged read. */
  private async ensure(ids: ArrayLike<number>): Promise<void> {
    const cached = this.internalOfOrig.batches;
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const b = Math.floor(ids[i] / this.rowsPerBatch);
      if (cached[b] === undefined && !missing.includes(b)) missing.push(b);
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
          this.cache(this.internalOfOrig, b, internalOfOrig.subarray(from, to));
          this.cache(this.origOfInternal, b, origOfInternal.subarray(from, to));
        }
      }),
    );
  }

  /** Caches record batch `b` of a map; the last one to arrive turns the map flat (the batches' tables are freed). */
  private cache(map: IdMap, b: number, rows: Int32Array): void {
    if (map.batches[b] !== undefined) return;
    map.batches[b] = rows;
    if (--map.missing > 0) return;
    const flat = new Int32Array(this.numNodes);
    map.batches.forEach((batch, i) => {
      flat.set(batch, i * this.rowsPerBatch);
      map.batches[i] = flat.subarray(i * this.rowsPerBatch, i * this.rowsPerBatch + batch.length);
    });
    map.flat = flat;
  }
}

/** One direction of the ID map as far as it is cached. */
interface IdMap {
  /** Rows of each record batch fetched so far, dense by batch number (holes until fetched). */
  batches: Int32Array[];
  /** Batches not fetched yet. */
  missing: number;
  /** The whole map, once `missing` is 0. */
  flat?: Int32Array;
}

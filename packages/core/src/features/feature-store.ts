import type { Table } from 'apache-arrow';
import { FanoutError } from '../errors/index.ts';
import { readPrimitive, readVectors } from '../format/columns.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { IdTranslator } from '../ids/index.ts';

export interface FeatureStoreOptions {
  /** Byte budget of cached pages (record batches), pinned ones included (default 256 MiB). */
  cacheBytes?: number;
  /**
   * Pages pinned at the start of every partition (default 1). Internal IDs go by descending in-degree inside a
   * partition, so its first pages hold the nodes sampling touches most, as PaGraph and GNNLab cache hot nodes.
   */
  pinnedPagesPerPart?: number;
}

export interface FeatureStoreStats {
  /** Rows served from cached pages, and rows whose page had to be fetched. */
  hits: number;
  misses: number;
  /** Ranged GETs made and bytes they fetched. */
  requests: number;
  bytesFetched: number;
  cachedBytes: number;
}

interface Page {
  /** Decoded columns by name (views into the fetched bytes). */
  table: Table;
  bytes: number;
  pinned: boolean;
}

/** Rows of one column for a list of nodes, row-major. */
export interface FeatureRows<T extends Float32Array | Int32Array> {
  dim: number;
  data: T;
}

/**
 * Node features served from a partitioned graph's `node_feats` files. A batch touches tens of thousands of scattered
 * rows, so the unit of fetching is the record batch (a page of `rows_per_batch` rows): missing pages are read with
 * ranged GETs, adjacent ones coalesced into one request, verified against their checksums, and kept in an LRU cache
 * bounded by bytes; each partition's first pages are pinned. Results are written into one preallocated array.
 */
export class FeatureStore {
  private readonly pages = new Map<string, Page>();
  private readonly translators = new Map<string, IdTranslator>();
  private readonly cacheBytes: number;
  private readonly pinnedPages: number;
  private readonly counters = { hits: 0, misses: 0, requests: 0, bytesFetched: 0 };
  private cachedBytes = 0;

  constructor(
    readonly graph: PartitionedGraph,
    options: FeatureStoreOptions = {},
  ) {
    this.cacheBytes = options.cacheBytes ?? 256 * 2 ** 20;
    this.pinnedPages = options.pinnedPagesPerPart ?? 1;
  }

  /** Feature rows (FixedSizeList<Float32> column `name`) of nodes given by internal IDs. */
  async lookup(ntype: string, name: string, ids: Int32Array): Promise<FeatureRows<Float32Array>> {
    const spec = this.spec(ntype, name);
    if (spec.dtype !== 'float32')
      throw new FanoutError('INVALID_ARGUMENT', `${ntype}.${name} is ${spec.dtype}, not a float32 feature`);
    const dim = spec.shape[0] ?? 1;
    const out = new Float32Array(ids.length * dim);
    await this.gather(
      ntype,
      ids,
      (table, source) => readVectors(table, name, source).data,
      (data, row, i) => {
        const from = row * dim;
        for (let x = 0; x < dim; x++) out[i * dim + x] = data[from + x];
      },
    );
    return { dim, data: out };
  }

  /** Labels (Int32 column `label`) of nodes given by internal IDs. */
  async labels(ntype: string, ids: Int32Array): Promise<Int32Array> {
    this.spec(ntype, 'label');
    const out = new Int32Array(ids.length);
    await this.gather(
      ntype,
      ids,
      (table, source) => readPrimitive(table, 'label', Int32Array, source),
      (data, row, i) => {
        out[i] = data[row];
      },
    );
    return out;
  }

  /** The same lookups by original node IDs (translated through the ID map; unknown IDs are an UNKNOWN_NODE error). */
  async lookupOriginal(ntype: string, name: string, ids: ArrayLike<number>): Promise<FeatureRows<Float32Array>> {
    return this.lookup(ntype, name, await this.toInternal(ntype, ids));
  }

  /** Internal IDs of original ones, for several lookups of the same nodes (unknown IDs are UNKNOWN_NODE). */
  toInternal(ntype: string, ids: ArrayLike<number>): Promise<Int32Array> {
    return this.translator(ntype).toInternal(ids);
  }

  stats(): FeatureStoreStats {
    return { ...this.counters, cachedBytes: this.cachedBytes };
  }

  private spec(ntype: string, name: string) {
    const specs = this.graph.manifest.node_features[ntype];
    if (!specs)
      throw new FanoutError('NOT_FOUND', `graph ${this.graph.manifest.graph_name} has no node type "${ntype}"`);
    const spec = specs.find((s) => s.name === name);
    if (!spec)
      throw new FanoutError(
        'NOT_FOUND',
        `node type ${ntype} has no column "${name}" (it has ${specs.map((s) => s.name).join(', ')})`,
      );
    return spec;
  }

  private translator(ntype: string): IdTranslator {
    let t = this.translators.get(ntype);
    if (!t) {
      t = new IdTranslator(this.graph, ntype);
      this.translators.set(ntype, t);
    }
    return t;
  }

  /**
   * Locates each ID's page and row, fetches the missing pages (coalesced per partition), then copies row by row.
   * `column` extracts the wanted column of a page once per page; `copy` moves one row into the output.
   */
  private async gather<T>(
    ntype: string,
    ids: Int32Array,
    column: (table: Table, source: string) => T,
    copy: (data: T, row: number, i: number) => void,
  ) {
    const m = this.graph.manifest;
    const ranges = m.node_map[ntype];
    const rpb = m.rows_per_batch;
    const numNodes = ranges[ranges.length - 1][1];
    const partOf = new Int32Array(ids.length);
    const missing = new Map<number, Set<number>>();
    for (let i = 0; i < ids.length; i++) {
      const v = ids[i];
      if (!Number.isInteger(v) || v < 0 || v >= numNodes) {
        throw new FanoutError(
          'UNKNOWN_NODE',
          `internal node ${v} does not exist: ${ntype} has internal IDs 0..${numNodes - 1}`,
        );
      }
      const p = this.graph.partOf(ntype, v);
      partOf[i] = p;
      const page = Math.floor((v - ranges[p][0]) / rpb);
      if (this.pages.has(pageKey(ntype, p, page))) this.counters.hits++;
      else {
        this.counters.misses++;
        const set = missing.get(p) ?? new Set<number>();
        missing.set(p, set);
        set.add(page);
      }
    }
    await Promise.all(
      [...missing].map(([p, set]) =>
        this.fetch(
          ntype,
          p,
          [...set].sort((a, b) => a - b),
        ),
      ),
    );
    // Columns are extracted once per page and reused for every row on it; eviction waits until the copy is done, so
    // a request larger than the cache still completes.
    const columns = new Map<string, T>();
    for (let i = 0; i < ids.length; i++) {
      const p = partOf[i];
      const local = ids[i] - ranges[p][0];
      const page = Math.floor(local / rpb);
      const key = pageKey(ntype, p, page);
      let data = columns.get(key);
      if (data === undefined) {
        data = column(this.use(key).table, key);
        columns.set(key, data);
      }
      copy(data, local - page * rpb, i);
    }
    this.evict();
  }

  /** Reads pages of one partition, adjacent ones in one ranged GET, and caches them. */
  private async fetch(ntype: string, part: number, pages: number[]): Promise<void> {
    const entry = this.graph.manifest.parts[part].node_feats[ntype];
    const reader = this.graph.fileReader(entry);
    const runs: [number, number][] = [];
    for (const b of pages) {
      const last = runs[runs.length - 1];
      if (last && last[1] === b - 1) last[1] = b;
      else runs.push([b, b]);
    }
    await Promise.all(
      runs.map(async ([first, last]) => {
        const table = await reader.readBatches(first, last);
        this.counters.requests++;
        const bytes = entry.batches.slice(first, last + 1).reduce((n, b) => n + b.length, 0);
        this.counters.bytesFetched += bytes;
        const rpb = this.graph.manifest.rows_per_batch;
        for (let b = first; b <= last; b++) {
          const slice = table.slice((b - first) * rpb, (b - first + 1) * rpb);
          this.insert(pageKey(ntype, part, b), {
            table: slice,
            bytes: entry.batches[b].length,
            pinned: b < this.pinnedPages,
          });
        }
      }),
    );
  }

  private insert(key: string, page: Page): void {
    const old = this.pages.get(key);
    if (old) this.cachedBytes -= old.bytes;
    this.pages.set(key, page);
    this.cachedBytes += page.bytes;
  }

  /** The page, marked most recently used. */
  private use(key: string): Page {
    const page = this.pages.get(key)!;
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  /** Drops least recently used unpinned pages until the byte budget holds. */
  private evict(): void {
    for (const [key, page] of this.pages) {
      if (this.cachedBytes <= this.cacheBytes) break;
      if (page.pinned) continue;
      this.pages.delete(key);
      this.cachedBytes -= page.bytes;
    }
  }
}

function pageKey(ntype: string, part: number, page: number): string {
  return `${ntype}/${part}/${page}`;
}

import { FanoutError } from '../errors/index.ts';
import { readPrimitive, readVectors } from '../format/columns.ts';
import type { FeatureSpec, PartitionedGraph } from '../format/index.ts';
import { IdTranslator } from '../ids/index.ts';
import { WasmArena } from './wasm-arena.ts';

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

/** Rows of one column for a list of nodes, row-major. */
export interface FeatureRows<T extends Float32Array | Int32Array> {
  dim: number;
  data: T;
}

/**
 * An output buffer in the feature store's own (WebAssembly) memory: lookups into it skip the copy out of that memory,
 * a third of a warm gather's time. The rows a lookup returns in it are a view valid until the store's memory next
 * grows (the next lookup that fetches pages, or a new buffer): use or copy them before the next lookup. Reuse one
 * buffer per batch in flight; `release` gives it back.
 */
export class FeatureBuffer {
  constructor(
    readonly at: number,
    /** Float32 values it holds. */
    readonly capacity: number,
    readonly release: () => void,
  ) {}
}

/** One cached record batch of a partition's node data: float32 features in the arena, labels as a typed array. */
interface Page {
  ntype: NodeTypeState;
  /** The page's number over all partitions of its node type. */
  global: number;
  /** Arena offset of each float32 feature's rows. */
  vectors: Map<string, number>;
  labels?: Int32Array;
  rows: number;
  bytes: number;
  pinned: boolean;
  /** The lookup that last listed this page, and its index in that lookup's list (no per-lookup map needed). */
  stamp: number;
  index: number;
}

/** Per node type: where its partitions' pages start, and the cached pages by global page number. */
interface NodeTypeState {
  name: string;
  /** First internal ID of each partition. */
  starts: Int32Array;
  /** Global number of each partition's first page. */
  pageBase: Int32Array;
  slots: (Page | undefined)[];
  /** Float32 vector features and their widths; `label` when the type has one. */
  vectors: FeatureSpec[];
  hasLabels: boolean;
  numNodes: number;
}

/**
 * Node features served from a partitioned graph's `node_feats` files. A batch touches tens of thousands of scattered
 * rows, so the unit of fetching is the record batch (a page of `rows_per_batch` rows): missing pages are read with
 * ranged GETs, adjacent ones coalesced into one request, verified against their checksums, and kept in an LRU cache
 * bounded by bytes; each partition's first pages are pinned. Float32 features live in WebAssembly memory, so a
 * lookup is one pass that computes each row's address and one kernel call that copies the rows (memory.copy), into
 * one preallocated array.
 */
export class FeatureStore {
  private readonly types = new Map<string, NodeTypeState>();
  /** Cached pages in least-recently-used order (a Set keeps insertion order; touching re-inserts). */
  private readonly lru = new Set<Page>();
  private readonly translators = new Map<string, IdTranslator>();
  private readonly arena = new WasmArena();
  private readonly cacheBytes: number;
  private readonly pinnedPages: number;
  private readonly counters = { hits: 0, misses: 0, requests: 0, bytesFetched: 0 };
  private cachedBytes = 0;
  private lookups = 0;

  constructor(
    readonly graph: PartitionedGraph,
    options: FeatureStoreOptions = {},
  ) {
    this.cacheBytes = options.cacheBytes ?? 256 * 2 ** 20;
    this.pinnedPages = options.pinnedPagesPerPart ?? 1;
  }

  /**
   * Feature rows (FixedSizeList<Float32> column `name`) of nodes given by internal IDs, in a new array or in `into`:
   * an array (at least ids × dim long; reused across batches it saves allocating and faulting in a fresh one each
   * time), or a FeatureBuffer of this store (no copy out of its memory; see FeatureBuffer for how long the rows last).
   */
  async lookup(
    ntype: string,
    name: string,
    ids: Int32Array,
    into?: Float32Array | FeatureBuffer,
  ): Promise<FeatureRows<Float32Array>> {
    const state = this.state(ntype);
    const spec = state.vectors.find((s) => s.name === name);
    if (!spec) throw this.notAVector(state, name);
    const dim = spec.shape[0] ?? 1;
    const values = ids.length * dim;
    const capacity = into instanceof FeatureBuffer ? into.capacity : into?.length;
    if (capacity !== undefined && capacity < values) {
      throw new FanoutError('INVALID_ARGUMENT', `the output holds ${capacity} values; ${values} are needed`);
    }
    const { pages, which, rows } = await this.locate(state, ids);
    const rowBytes = 4 * dim;
    const base = Int32Array.from(pages, (page) => page.vectors.get(name)!);
    const out = into instanceof FeatureBuffer ? into.at : (into?.subarray(0, values) ?? new Float32Array(values));
    this.arena.gather(
      ids.length,
      rowBytes,
      (offsets) => {
        for (let i = 0; i < ids.length; i++) offsets[i] = base[which[i]] + rows[i] * rowBytes;
      },
      out,
    );
    this.evict();
    return { dim, data: typeof out === 'number' ? this.arena.view(out, values) : out };
  }

  /** An output buffer of `values` float32 in this store's memory, for lookups that skip the copy out of it. */
  buffer(values: number): FeatureBuffer {
    if (!Number.isInteger(values) || values < 1) {
      throw new FanoutError('INVALID_ARGUMENT', `a feature buffer holds a positive number of values, not ${values}`);
    }
    const at = this.arena.allocate(values);
    let released = false;
    return new FeatureBuffer(at, values, () => {
      if (!released) this.arena.release(at, values);
      released = true;
    });
  }

  /** Labels (Int32 column `label`) of nodes given by internal IDs. */
  async labels(ntype: string, ids: Int32Array): Promise<Int32Array> {
    const state = this.state(ntype);
    if (!state.hasLabels) throw this.notAVector(state, 'label');
    const { pages, which, rows } = await this.locate(state, ids);
    const out = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = pages[which[i]].labels![rows[i]];
    this.evict();
    return out;
  }

  /** The same lookups by original node IDs (translated through the ID map; unknown IDs are an UNKNOWN_NODE error). */
  async lookupOriginal(ntype: string, name: string, ids: ArrayLike<number>): Promise<FeatureRows<Float32Array>> {
    return this.lookup(ntype, name, await this.toInternal(ntype, ids));
  }

  /** Internal IDs of original ones, for several lookups of the same nodes (unknown IDs are UNKNOWN_NODE). */
  toInternal(ntype: string, ids: ArrayLike<number>): Promise<Int32Array> {
    let t = this.translators.get(ntype);
    if (!t) {
      t = new IdTranslator(this.graph, ntype);
      this.translators.set(ntype, t);
    }
    return t.toInternal(ids);
  }

  stats(): FeatureStoreStats {
    return { ...this.counters, cachedBytes: this.cachedBytes };
  }

  /**
   * The pages the IDs are on (fetched if missing, adjacent pages of a partition in one request), and per ID the index
   * of its page in that list and its row in the page. Pages are touched once per lookup, not once per row. When pages fetched for this lookup were evicted by another one that
   * ran in the meantime, they are fetched again: after the last await every page is present, and the caller's copy
   * runs before any other lookup can evict.
   */
  private async locate(
    state: NodeTypeState,
    ids: Int32Array,
  ): Promise<{ pages: Page[]; which: Int32Array; rows: Int32Array }> {
    const rpb = this.graph.manifest.rows_per_batch;
    const rows = new Int32Array(ids.length);
    const which = new Int32Array(ids.length);
    const { starts, pageBase, numNodes, slots } = state;
    for (let first = true; ; first = false) {
      // One pass: each ID's page and row, and its page's index in this lookup's list (touched once per lookup).
      const stamp = ++this.lookups;
      const pages: Page[] = [];
      let missing: Set<number> | undefined;
      let misses = 0;
      for (let i = 0; i < ids.length; i++) {
        const v = ids[i];
        if (v < 0 || v >= numNodes) {
          throw new FanoutError(
            'UNKNOWN_NODE',
            `internal node ${v} does not exist: ${state.name} has internal IDs 0..${numNodes - 1}`,
          );
        }
        const p = partitionOf(starts, v);
        const local = v - starts[p];
        const b = Math.floor(local / rpb);
        rows[i] = local - b * rpb;
        const page = slots[pageBase[p] + b];
        if (page === undefined) {
          misses++;
          missing ??= new Set();
          missing.add(pageBase[p] + b);
          continue;
        }
        if (page.stamp !== stamp) {
          page.stamp = stamp;
          page.index = pages.push(page) - 1;
          this.lru.delete(page);
          this.lru.add(page);
        }
        which[i] = page.index;
      }
      if (first) {
        this.counters.misses += misses;
        this.counters.hits += ids.length - misses;
      }
      if (!missing) return { pages, which, rows };
      await this.fetch(
        state,
        [...missing].sort((a, b) => a - b),
      );
    }
  }

  /** Reads missing pages (global numbers, ascending), adjacent ones of a partition in one ranged GET. */
  private async fetch(state: NodeTypeState, globals: number[]): Promise<void> {
    const runs: { part: number; first: number; last: number }[] = [];
    for (const g of globals) {
      const part = partitionOf(state.pageBase, g);
      const b = g - state.pageBase[part];
      const run = runs[runs.length - 1];
      if (run && run.part === part && run.last === b - 1) run.last = b;
      else runs.push({ part, first: b, last: b });
    }
    const rpb = this.graph.manifest.rows_per_batch;
    await Promise.all(
      runs.map(async ({ part, first, last }) => {
        const entry = this.graph.manifest.parts[part].node_feats[state.name];
        const table = await this.graph.fileReader(entry).readBatches(first, last);
        this.counters.requests++;
        this.counters.bytesFetched += entry.batches.slice(first, last + 1).reduce((n, b) => n + b.length, 0);
        for (let b = first; b <= last; b++) {
          const slice = table.slice((b - first) * rpb, (b - first + 1) * rpb);
          const source = `${entry.key}#${b}`;
          const page: Page = {
            ntype: state,
            global: state.pageBase[part] + b,
            vectors: new Map(),
            rows: slice.numRows,
            bytes: 0,
            pinned: b < this.pinnedPages,
            stamp: 0,
            index: 0,
          };
          for (const spec of state.vectors) {
            const { data } = readVectors(slice, spec.name, source);
            page.vectors.set(spec.name, this.arena.store(data));
            page.bytes += data.byteLength;
          }
          if (state.hasLabels) {
            page.labels = readPrimitive(slice, 'label', Int32Array, source).slice();
            page.bytes += page.labels.byteLength;
          }
          this.insert(page);
        }
      }),
    );
  }

  private insert(page: Page): void {
    const old = page.ntype.slots[page.global];
    if (old) this.drop(old);
    page.ntype.slots[page.global] = page;
    this.lru.add(page);
    this.cachedBytes += page.bytes;
  }

  /** Drops least recently used unpinned pages until the byte budget holds. */
  private evict(): void {
    for (const page of this.lru) {
      if (this.cachedBytes <= this.cacheBytes) break;
      if (!page.pinned) this.drop(page);
    }
  }

  private drop(page: Page): void {
    this.lru.delete(page);
    page.ntype.slots[page.global] = undefined;
    this.cachedBytes -= page.bytes;
    for (const spec of page.ntype.vectors) {
      this.arena.release(page.vectors.get(spec.name)!, page.rows * (spec.shape[0] ?? 1));
    }
  }

  private state(ntype: string): NodeTypeState {
    let state = this.types.get(ntype);
    if (state) return state;
    const m = this.graph.manifest;
    const specs = m.node_features[ntype];
    const ranges = m.node_map[ntype];
    if (!specs || !ranges) {
      throw new FanoutError('NOT_FOUND', `graph ${m.graph_name} has no node type "${ntype}"`);
    }
    const pageBase = new Int32Array(ranges.length);
    let pages = 0;
    ranges.forEach(([start, end], p) => {
      pageBase[p] = pages;
      pages += Math.ceil((end - start) / m.rows_per_batch);
    });
    state = {
      name: ntype,
      starts: Int32Array.from(ranges, ([start]) => start),
      pageBase,
      slots: new Array(pages),
      vectors: specs.filter((s) => s.dtype === 'float32'),
      hasLabels: specs.some((s) => s.name === 'label' && s.dtype === 'int32'),
      numNodes: ranges[ranges.length - 1][1],
    };
    this.types.set(ntype, state);
    return state;
  }

  /** Why `name` cannot be looked up: no such column, or not of the type asked. */
  private notAVector(state: NodeTypeState, name: string): FanoutError {
    const specs = this.graph.manifest.node_features[state.name];
    const spec = specs.find((s) => s.name === name);
    if (spec) {
      const wanted = name === 'label' ? 'int32' : 'float32';
      return new FanoutError('INVALID_ARGUMENT', `${state.name}.${name} is ${spec.dtype}, not ${wanted}`);
    }
    return new FanoutError(
      'NOT_FOUND',
      `node type ${state.name} has no column "${name}" (it has ${specs.map((s) => s.name).join(', ')})`,
    );
  }
}

/** The last index whose start is ≤ v, for ascending starts beginning at 0 (partitions, or their first pages). */
function partitionOf(starts: Int32Array, v: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

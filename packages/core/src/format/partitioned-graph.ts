import { FanoutError } from '../errors/index.ts';
import type { DenseFeature } from '../graph/index.ts';
import type { ProgressListener } from '../progress/index.ts';
import { type ObjectStore, openObject } from '../storage/index.ts';
import { ArrowFileReader } from './arrow-file.ts';
import { MANIFEST_KEY } from './layout.ts';
import { type FileEntry, type Manifest, parseManifest } from './manifest.ts';
import {
  decodeEdgeFeatsTable,
  decodeGraphTable,
  decodeIdsTable,
  decodeNodeFeatsTable,
  type IdMaps,
  type NodeColumns,
  type PartCsc,
} from './part-files.ts';

/**
 * A partitioned graph opened from its manifest: the one reader of format v1. Every file read is verified against the
 * manifest's checksums; keys in the manifest are relative to the manifest's own directory.
 */
export class PartitionedGraph {
  /** The manifest's URI: how requests to remote functions name this graph. */
  readonly uri: string;

  private constructor(
    readonly store: ObjectStore,
    /** Prefix of the manifest's directory inside `store` ('' at the root). */
    private readonly base: string,
    readonly manifest: Manifest,
    manifestKey: string,
  ) {
    this.uri = `${store.uri}/${manifestKey}`;
  }

  /** Opens `<dir or URI>/manifest.json`, or the manifest the URI names directly. */
  static async open(uri: string): Promise<PartitionedGraph> {
    const { store, key } = openObject(uri.endsWith('.json') ? uri : `${uri.replace(/\/+$/, '')}/${MANIFEST_KEY}`);
    return PartitionedGraph.fromStore(store, key);
  }

  static async fromStore(store: ObjectStore, manifestKey: string = MANIFEST_KEY): Promise<PartitionedGraph> {
    const text = Buffer.from(await store.get(manifestKey)).toString('utf8');
    const base = manifestKey.includes('/') ? manifestKey.slice(0, manifestKey.lastIndexOf('/') + 1) : '';
    const manifest = parseManifest(text, `${store.uri}/${manifestKey}`);
    return new PartitionedGraph(store, base, manifest, manifestKey);
  }

  get numParts(): number {
    return this.manifest.num_parts;
  }

  /** A reader for one file (whole or ranged), for callers that fetch record batches on demand. */
  fileReader(entry: FileEntry): ArrowFileReader {
    return new ArrowFileReader(this.store, { ...entry, key: this.base + entry.key });
  }

  async readGraph(part: number, etype: string): Promise<PartCsc> {
    const entry = this.partEntry(part, 'graph', etype);
    return decodeGraphTable(await this.fileReader(entry).readAll(), entry.key);
  }

  async readNodeData(part: number, ntype: string): Promise<NodeColumns> {
    const entry = this.partEntry(part, 'node_feats', ntype);
    return decodeNodeFeatsTable(await this.fileReader(entry).readAll(), entry.key);
  }

  /** Edge features of a partition's arcs in CSC order; empty when the edge type has none. */
  async readEdgeFeatures(part: number, etype: string): Promise<Map<string, DenseFeature>> {
    const entry = this.manifest.parts[this.checkPart(part)].edge_feats[etype];
    if (!entry) return new Map();
    return decodeEdgeFeatsTable(await this.fileReader(entry).readAll(), entry.key);
  }

  async readIdMaps(ntype: string): Promise<IdMaps> {
    const entry = this.manifest.ids[ntype];
    if (!entry) throw new FanoutError('NOT_FOUND', `graph ${this.manifest.graph_name} has no node type "${ntype}"`);
    return decodeIdsTable(await this.fileReader(entry).readAll(), entry.key);
  }

  /**
   * Reads every file the manifest names and checks every checksum (`fanout inspect --verify`); throws the first
   * CHECKSUM_MISMATCH or NOT_FOUND, naming the file.
   */
  async verify(onProgress?: ProgressListener): Promise<void> {
    const m = this.manifest;
    for (const ntype of Object.keys(m.ids)) await this.readIdMaps(ntype);
    for (let p = 0; p < m.num_parts; p++) {
      onProgress?.({ stage: 'verify parts', done: p, total: m.num_parts });
      for (const etype of Object.keys(m.parts[p].graph)) {
        await this.readGraph(p, etype);
        await this.readEdgeFeatures(p, etype);
      }
      for (const ntype of Object.keys(m.parts[p].node_feats)) await this.readNodeData(p, ntype);
    }
    onProgress?.({ stage: 'verify parts', done: m.num_parts, total: m.num_parts });
  }

  /** The partition owning internal node `id` of `ntype`: a binary search over the node_map boundaries. */
  partOf(ntype: string, id: number): number {
    const ranges = this.manifest.node_map[ntype];
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (id < ranges[mid][1]) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private checkPart(part: number): number {
    if (!Number.isInteger(part) || part < 0 || part >= this.manifest.num_parts) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `no partition ${part}: graph ${this.manifest.graph_name} has partitions 0..${this.manifest.num_parts - 1}`,
      );
    }
    return part;
  }

  private partEntry(part: number, kind: 'graph' | 'node_feats', type: string): FileEntry {
    const entry = this.manifest.parts[this.checkPart(part)][kind][type];
    if (!entry)
      throw new FanoutError('NOT_FOUND', `graph ${this.manifest.graph_name} has no ${kind} file for type "${type}"`);
    return entry;
  }
}

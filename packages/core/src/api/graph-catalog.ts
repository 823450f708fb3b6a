import { FanoutError } from '../errors/index.ts';
import { FeatureStore, type FeatureStoreOptions } from '../features/index.ts';
import { isHomogeneous, MANIFEST_KEY, PartitionedGraph } from '../format/index.ts';
import { DistNeighborSampler, type DistNeighborSamplerOptions, HeteroNeighborSampler } from '../sampling/index.ts';
import { joinKey, listAll, type ObjectStore, openStore } from '../storage/index.ts';
import type { Invoker } from '../transport/index.ts';
import { type ApiLogger, defaultLogger } from './api-logger.ts';

/** A graph name is one path segment: no '/', no '..', nothing a key could climb out of the prefix with. */
const GRAPH_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function assertGraphName(name: string): void {
  if (!GRAPH_NAME.test(name) || name.includes('..')) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `invalid graph name ${JSON.stringify(name.slice(0, 200))}: use letters, digits, '_', '.', '-' (one path segment)`,
    );
  }
}

export interface GraphCatalogOptions {
  /** URI of the prefix graphs live under: `<root>/<graph>/manifest.json`. Nothing outside it is ever read. */
  root: string;
  /** The invoker that reaches the hop functions for one graph version. */
  invokerFor: (graph: PartitionedGraph) => Invoker;
  /** How often a graph's current manifest is checked for a new version, in ms (default 5,000). */
  refreshMs?: number;
  sampler?: DistNeighborSamplerOptions;
  /** The feature stores' page caches (one per graph version). */
  features?: FeatureStoreOptions;
  /** Where a new version that fails to open is reported (default: Powertools Logger). */
  logger?: ApiLogger;
}

export interface ServedGraph {
  name: string;
  /** The graph as pinned to its version: its URI names the version's own manifest when there is one. */
  graph: PartitionedGraph;
  version?: string;
  /** A homogeneous graph's sampler, or a heterogeneous one's (dict outputs, as PyG's HeteroData). */
  sampler: DistNeighborSampler | HeteroNeighborSampler;
  features: FeatureStore;
}

interface Entry {
  etag?: string;
  checkedAt: number;
  served: Promise<ServedGraph>;
}

/**
 * The graphs an API instance serves. A published graph's current manifest names its version; samplers open the
 * version's own manifest, so requests to hop functions name immutable files and their caches never go stale. The
 * current manifest's ETag is checked at most every `refreshMs`, and a new version gets a new sampler.
 */
export class GraphCatalog {
  readonly store: ObjectStore;
  private readonly entries = new Map<string, Entry>();
  private readonly refreshMs: number;
  private readonly invokers: Invoker[] = [];
  private readonly logger: ApiLogger;

  constructor(private readonly options: GraphCatalogOptions) {
    this.store = openStore(options.root);
    this.refreshMs = options.refreshMs ?? 5_000;
    this.logger = options.logger ?? defaultLogger();
  }

  /** Names of the graphs with a current manifest. */
  async list(): Promise<string[]> {
    const names: string[] = [];
    for await (const object of listAll(this.store, '')) {
      const match = /^([^/]+)\/manifest\.json$/.exec(object.key);
      if (match && GRAPH_NAME.test(match[1])) names.push(match[1]);
    }
    return names;
  }

  async get(name: string): Promise<ServedGraph> {
    assertGraphName(name);
    const now = Date.now();
    const entry = this.entries.get(name);
    if (entry && now - entry.checkedAt < this.refreshMs) return entry.served;
    const head = await this.store.head(joinKey(name, MANIFEST_KEY));
    if (!head) {
      this.entries.delete(name);
      throw new FanoutError('NOT_FOUND', `no graph named ${name}`);
    }
    if (entry && entry.etag === head.etag && head.etag !== undefined) {
      entry.checkedAt = now;
      return entry.served;
    }
    const opening = this.open(name);
    if (!entry) {
      this.entries.set(name, { etag: head.etag, checkedAt: now, served: opening });
      opening.catch(() => this.entries.delete(name));
      return opening;
    }
    // A new version replaces the one serving only once it opens: a corrupt, truncated or unsupported manifest is
    // reported and the previous version goes on serving (the next check tries the new one again).
    entry.checkedAt = now;
    try {
      const served = await opening;
      this.entries.set(name, { etag: head.etag, checkedAt: now, served: opening });
      return served;
    } catch (error) {
      this.logger.error('a new version of the graph does not open; the previous one keeps serving', {
        graph: name,
        error,
      });
      return entry.served;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.invokers.map((i) => i.close()));
  }

  private async open(name: string): Promise<ServedGraph> {
    const current = await PartitionedGraph.fromStore(this.store, joinKey(name, MANIFEST_KEY));
    const version = current.manifest.graph_version;
    const graph = version
      ? await PartitionedGraph.fromStore(this.store, joinKey(name, version, MANIFEST_KEY))
      : current;
    const invoker = this.options.invokerFor(graph);
    this.invokers.push(invoker);
    return {
      name,
      graph,
      version,
      sampler: isHomogeneous(graph.manifest)
        ? new DistNeighborSampler(graph, invoker, this.options.sampler)
        : new HeteroNeighborSampler(graph, invoker, this.options.sampler),
      features: new FeatureStore(graph, this.options.features),
    };
  }
}

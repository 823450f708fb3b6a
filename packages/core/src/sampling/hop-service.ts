import { PartitionedGraph } from '../format/index.ts';
import { type HopPartition, type HopRequest, type HopResponse, HopScratch, sampleHop } from './hop.ts';
import { hopPartitionBytes, loadHopPartition } from './load-partition.ts';

export interface HopServiceOptions {
  /** Byte budget of loaded partitions; the least recently used are dropped past it (default: unbounded). */
  cacheBytes?: number;
  /** How a graph URI is opened (default: PartitionedGraph.open). */
  openGraph?: (uri: string) => Promise<PartitionedGraph>;
  /** Whether partitions go where the WebAssembly sampling kernels can sample them (default true). */
  kernels?: boolean;
}

export interface HopServiceStats {
  requests: number;
  loads: number;
  evictions: number;
  cachedBytes: number;
}

/**
 * What a hop function is: it answers hop requests from partitions it loads on first use and keeps in a cache bounded
 * by bytes (a Lambda container's module-level cache, a worker thread's, or the coordinator's own in-process one).
 */
export class HopService {
  private readonly graphs = new Map<string, Promise<PartitionedGraph>>();
  private readonly partitions = new Map<string, { partition: Promise<HopPartition>; bytes: number }>();
  private readonly scratch = new HopScratch();
  private readonly cacheBytes: number;
  private readonly openGraph: (uri: string) => Promise<PartitionedGraph>;
  private readonly counters = { requests: 0, loads: 0, evictions: 0 };
  private readonly kernels: boolean;

  constructor(options: HopServiceOptions = {}) {
    this.cacheBytes = options.cacheBytes ?? Number.POSITIVE_INFINITY;
    this.openGraph = options.openGraph ?? ((uri) => PartitionedGraph.open(uri));
    this.kernels = options.kernels ?? true;
  }

  /** Serves an already opened graph under its URI (in-process use: no second open). */
  register(graph: PartitionedGraph): void {
    this.graphs.set(graph.uri, Promise.resolve(graph));
  }

  /** Answers a request; `inHeap` as sampleHop's (a worker thread's answers, read in place by its coordinator). */
  async handle(request: HopRequest, inHeap = false): Promise<HopResponse> {
    this.counters.requests++;
    const partition = await this.partition(request.graph, request.part, request.etype);
    return sampleHop(partition, request, this.scratch, inHeap);
  }

  /** The partition, loaded once; concurrent first requests share one load. */
  partition(graphUri: string, part: number, etype: string): Promise<HopPartition> {
    const key = `${graphUri}#${part}#${etype}`;
    const cached = this.partitions.get(key);
    if (cached) {
      this.partitions.delete(key);
      this.partitions.set(key, cached);
      return cached.partition;
    }
    this.counters.loads++;
    const entry = { partition: this.load(graphUri, part, etype), bytes: 0 };
    this.partitions.set(key, entry);
    entry.partition.then(
      (p) => {
        entry.bytes = hopPartitionBytes(p);
        this.evict(key);
      },
      () => this.partitions.delete(key),
    );
    return entry.partition;
  }

  stats(): HopServiceStats {
    let cachedBytes = 0;
    for (const entry of this.partitions.values()) cachedBytes += entry.bytes;
    return { ...this.counters, cachedBytes };
  }

  private async load(graphUri: string, part: number, etype: string): Promise<HopPartition> {
    let graph = this.graphs.get(graphUri);
    if (!graph) {
      graph = this.openGraph(graphUri);
      this.graphs.set(graphUri, graph);
      graph.catch(() => this.graphs.delete(graphUri));
    }
    return loadHopPartition(await graph, part, etype, { kernels: this.kernels });
  }

  /** Drops least recently used partitions until the budget holds, keeping the one just loaded. */
  private evict(keep: string): void {
    let total = 0;
    for (const entry of this.partitions.values()) total += entry.bytes;
    for (const [key, entry] of this.partitions) {
      if (total <= this.cacheBytes) break;
      if (key === keep) continue;
      this.partitions.delete(key);
      total -= entry.bytes;
      this.counters.evictions++;
    }
  }
}

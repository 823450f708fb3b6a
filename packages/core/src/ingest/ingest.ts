import { FanoutError } from '../errors/index.ts';
import type { EdgeTypeData, GraphData } from '../graph/index.ts';
import type { ProgressListener } from '../progress/index.ts';
import { type ObjectStore, openObject, openStore } from '../storage/index.ts';
import { HETERO_EDGES_PREFIX, readArrowTables, readHeteroArrowTables } from './arrow-tables.ts';
import { inputFile } from './byte-source.ts';
import { readOgb } from './ogb.ts';
import { readSnap } from './snap.ts';
import { symmetrize } from './symmetrize.ts';

export type InputFormat = 'ogb' | 'snap' | 'arrow';

export interface IngestOptions {
  /** A directory, a file, or an s3:// URI of either. */
  input: string;
  /** Detected from the input when absent. */
  format?: InputFormat;
  /** Adds the reverse of every edge (DESIGN.md's rules for IDs and duplicates). */
  undirected?: boolean;
  /** Graph name; defaults to the input's last path segment. */
  name?: string;
  /** OGB split scheme. */
  split?: string;
  onProgress?: ProgressListener;
}

/** Reads a raw graph into memory, in any supported layout, symmetrized when asked. */
export async function ingestGraph(options: IngestOptions): Promise<GraphData> {
  const input = options.input.replace(/\/+$/, '');
  const name = options.name ?? defaultName(input);
  const format = options.format ?? (await detectFormat(input));
  let graph: GraphData;
  if (format === 'ogb') {
    graph = await readOgb(openStore(input), name, { split: options.split }, options.onProgress);
  } else if (format === 'snap') {
    graph = await readSnap(inputFile(input), name, options.onProgress);
  } else if (/\.(arrow|feather|arrows|ipc)$/.test(input)) {
    const { store, key } = openObject(input);
    graph = await readArrowTables(store, name, { edges: key });
  } else {
    const store = openStore(input);
    graph = (await isHeteroLayout(store))
      ? await readHeteroArrowTables(store, name)
      : await readArrowTables(store, name);
  }
  if (options.undirected) {
    options.onProgress?.({ stage: 'symmetrize', done: 0, total: 0 });
    makeUndirected(graph);
  }
  return graph;
}

/**
 * Symmetrizes an edge type within one node type (DESIGN.md's ID rules); an edge type between two node types gets
 * its reverse `dst:rev_<relation>:src`, as PyG's ToUndirected adds, with the same edge IDs and columns.
 */
function makeUndirected(graph: GraphData): void {
  graph.undirected = true;
  const reverses: EdgeTypeData[] = [];
  for (const etype of graph.etypes) {
    if (etype.srcType === etype.dstType) {
      const numNodes = graph.ntypes.find((t) => t.name === etype.dstType)!.numNodes;
      etype.edges = symmetrize(etype.edges, numNodes);
      continue;
    }
    const relation = etype.name.split(':')[1];
    const name = `${etype.dstType}:rev_${relation}:${etype.srcType}`;
    if (graph.etypes.some((e) => e.name === name)) {
      throw new FanoutError('INVALID_INPUT', `--undirected would add ${name}, which the input already has`);
    }
    const { src, dst, ...columns } = etype.edges;
    reverses.push({
      ...etype,
      name,
      srcType: etype.dstType,
      dstType: etype.srcType,
      edges: { ...columns, src: dst, dst: src },
    });
  }
  graph.etypes.push(...reverses);
}

async function isHeteroLayout(store: ObjectStore): Promise<boolean> {
  return (await store.list(HETERO_EDGES_PREFIX, { limit: 1 })).objects.length > 0;
}

async function detectFormat(input: string): Promise<InputFormat> {
  if (/\.(arrow|feather|arrows|ipc)$/.test(input)) return 'arrow';
  if (/\.(txt|tsv|csv|edges|el)(\.gz)?$/.test(input)) return 'snap';
  const store = openStore(input);
  if ((await store.head('raw/edge.csv.gz')) || (await store.head('edge.csv.gz'))) return 'ogb';
  if ((await store.head('edges.arrow')) || (await isHeteroLayout(store))) return 'arrow';
  throw new FanoutError('INVALID_ARGUMENT', `cannot tell the format of ${input}: pass --format ogb|snap|arrow`);
}

function defaultName(input: string): string {
  const last = input.split('/').pop() ?? 'graph';
  const base = last.replace(/\.(txt|tsv|csv|edges|el|arrow|feather|arrows|ipc)?(\.gz)?$/, '');
  const cleaned = base.replace(/[^A-Za-z0-9_.-]/g, '_');
  return cleaned.length > 0 ? cleaned : 'graph';
}

import { FanoutError } from '../errors/index.ts';
import {
  DEFAULT_ROWS_PER_BATCH,
  edgeFeatsKey,
  type FileEntry,
  FORMAT_NAME,
  FORMAT_VERSION,
  graphKey,
  idsKey,
  MANIFEST_KEY,
  type Manifest,
  type NodeColumns,
  nodeFeatsKey,
  nodeFeatureSpecs,
  writeEdgeFeatsFile,
  writeGraphFile,
  writeIdsFile,
  writeNodeFeatsFile,
} from '../format/index.ts';
import type { GraphData, NodeTypeData } from '../graph/index.ts';
import { MASK_NAMES } from '../graph/index.ts';
import type { ProgressListener } from '../progress/index.ts';
import { joinKey, type ObjectStore } from '../storage/index.ts';
import { type Assignment, type BalanceBy, inDegrees } from './assignment.ts';
import { extractPart, type GlobalCsc, sortByDestination } from './csc.ts';
import { assignerFor, DEFAULT_METHOD } from './methods.ts';
import { type Reshuffled, reshuffle } from './reshuffle.ts';

export interface PartitionOptions {
  numParts: number;
  /** A registered assignment method (default `multilevel`). */
  method?: string;
  balance?: BalanceBy;
  /** Allowed part weight over the average, for cut-optimizing methods (default 1.03). */
  imbalance?: number;
  seed?: number;
  rowsPerBatch?: number;
  /** Where data files go inside the store, relative to the manifest (a version directory, say). Default: beside it. */
  dataPrefix?: string;
  /** Manifest key (default `manifest.json`); written last. */
  manifestKey?: string;
  /** Recorded as the manifest's `graph_version` (partition jobs: the version directory the files are in). */
  graphVersion?: string;
  onProgress?: ProgressListener;
}

/**
 * Partitions an in-memory graph into format v1 in `store`: assign nodes to parts, reshuffle IDs, then for every
 * part write its CSC per edge type and its node data per node type; the ID maps; and the manifest last, so a reader
 * never sees a manifest whose files are not all there. Parts are built and written one at a time, so peak memory is
 * the input plus one part's arcs.
 */
export async function partitionGraph(
  graph: GraphData,
  store: ObjectStore,
  options: PartitionOptions,
): Promise<Manifest> {
  const numParts = options.numParts;
  const method = options.method ?? DEFAULT_METHOD;
  const rowsPerBatch = options.rowsPerBatch ?? DEFAULT_ROWS_PER_BATCH;
  const progress = options.onProgress ?? (() => {});
  const manifestKey = options.manifestKey ?? MANIFEST_KEY;
  const manifestDir = manifestKey.includes('/') ? manifestKey.slice(0, manifestKey.lastIndexOf('/')) : '';
  const dataPrefix = options.dataPrefix ?? '';
  const keyOf = (relative: string) => joinKey(dataPrefix, relative); // relative to the manifest
  const storeKey = (relative: string) => joinKey(manifestDir, keyOf(relative));
  validate(graph, numParts, rowsPerBatch);

  progress({ stage: 'assign', done: 0, total: 1 });
  const assignment = assignerFor(method)(graph, {
    numParts,
    seed: options.seed ?? 0,
    balance: options.balance ?? 'nodes',
    imbalance: options.imbalance,
    onProgress: options.onProgress,
  });
  checkAssignment(graph, assignment, numParts);
  const degrees = inDegrees(graph);
  const shuffled = new Map<string, Reshuffled>();
  for (const ntype of graph.ntypes)
    shuffled.set(ntype.name, reshuffle(assignment.get(ntype.name)!, numParts, degrees.get(ntype.name)!));
  progress({ stage: 'assign', done: 1, total: 1 });

  const ids: Record<string, FileEntry> = {};
  for (const ntype of graph.ntypes) {
    const entry = await writeIdsFile(store, storeKey(idsKey(ntype.name)), shuffled.get(ntype.name)!, rowsPerBatch);
    ids[ntype.name] = { ...entry, key: keyOf(idsKey(ntype.name)) };
  }

  const globals = new Map<string, GlobalCsc>();
  for (const etype of graph.etypes) {
    const dstDegree = inDegrees(graph, etype.name).get(etype.dstType)!;
    const srcIds = shuffled.get(etype.srcType)!.internalOfOrig;
    globals.set(etype.name, sortByDestination(etype, shuffled.get(etype.dstType)!, srcIds, dstDegree));
  }

  const parts: Manifest['parts'] = [];
  for (let p = 0; p < numParts; p++) {
    progress({ stage: 'write parts', done: p, total: numParts });
    const part: Manifest['parts'][number] = { num_nodes: {}, num_edges: {}, graph: {}, node_feats: {}, edge_feats: {} };
    for (const etype of graph.etypes) {
      const range = shuffled.get(etype.dstType)!.ranges[p];
      const srcType = graph.ntypes.find((t) => t.name === etype.srcType)!;
      const { csc, features } = extractPart(etype, globals.get(etype.name)!, range, srcType.time);
      const entry = await writeGraphFile(store, storeKey(graphKey(p, etype.name)), csc, rowsPerBatch);
      part.graph[etype.name] = { ...entry, key: keyOf(graphKey(p, etype.name)) };
      if (features.size > 0) {
        const featEntry = await writeEdgeFeatsFile(
          store,
          storeKey(edgeFeatsKey(p, etype.name)),
          csc.indptr,
          features,
          rowsPerBatch,
        );
        part.edge_feats[etype.name] = { ...featEntry, key: keyOf(edgeFeatsKey(p, etype.name)) };
      }
      part.num_edges[etype.name] = csc.nbr.length;
    }
    for (const ntype of graph.ntypes) {
      const { ranges, origOfInternal } = shuffled.get(ntype.name)!;
      const [start, end] = ranges[p];
      const columns = gatherNodeColumns(ntype, origOfInternal.subarray(start, end));
      const entry = await writeNodeFeatsFile(
        store,
        storeKey(nodeFeatsKey(p, ntype.name)),
        end - start,
        columns,
        rowsPerBatch,
      );
      part.node_feats[ntype.name] = { ...entry, key: keyOf(nodeFeatsKey(p, ntype.name)) };
      part.num_nodes[ntype.name] = end - start;
    }
    parts.push(part);
  }
  progress({ stage: 'write parts', done: numParts, total: numParts });

  // Each part's arcs are a contiguous run of the global CSC order: [start, start + count), part after part.
  const edgeMap: Manifest['edge_map'] = {};
  for (const etype of graph.etypes) {
    let start = 0;
    edgeMap[etype.name] = parts.map((part) => {
      const range: [number, number] = [start, start + part.num_edges[etype.name]];
      start = range[1];
      return range;
    });
  }
  const numEdges = graph.etypes.reduce((n, e) => n + e.edges.src.length, 0);
  const edgeCut = countEdgeCut(graph, assignment);
  const manifest: Manifest = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    graph_name: graph.name,
    num_parts: numParts,
    part_method: method,
    halo_hops: 1,
    num_nodes: graph.ntypes.reduce((n, t) => n + t.numNodes, 0),
    num_edges: numEdges,
    ntypes: Object.fromEntries(graph.ntypes.map((t, i) => [t.name, i])),
    etypes: Object.fromEntries(graph.etypes.map((e, i) => [e.name, i])),
    node_map: Object.fromEntries(graph.ntypes.map((t) => [t.name, shuffled.get(t.name)!.ranges])),
    edge_map: edgeMap,
    rows_per_batch: rowsPerBatch,
    num_input_edges: Object.fromEntries(graph.etypes.map((e) => [e.name, e.numInputEdges])),
    undirected: graph.undirected,
    node_features: Object.fromEntries(
      graph.ntypes.map((t) => [t.name, nodeFeatureSpecs(gatherNodeColumns(t, new Int32Array(0)))]),
    ),
    edge_features: Object.fromEntries(
      graph.etypes.map((e) => [
        e.name,
        [...e.edges.features].map(([name, f]) => ({ name, dtype: 'float32' as const, shape: [f.dim] })),
      ]),
    ),
    edge_columns: Object.fromEntries(
      graph.etypes.map((e) => {
        const columns: ('weight' | 'time' | 'nbr_time')[] = [];
        if (e.edges.weight) columns.push('weight');
        if (e.edges.time) columns.push('time');
        if (graph.ntypes.find((t) => t.name === e.srcType)!.time) columns.push('nbr_time');
        return [e.name, columns];
      }),
    ),
    ids,
    parts,
    stats: {
      edge_cut: edgeCut,
      edge_cut_ratio: numEdges === 0 ? 0 : edgeCut / numEdges,
      part_nodes: parts.map((part) => Object.values(part.num_nodes).reduce((a, b) => a + b, 0)),
      part_edges: parts.map((part) => Object.values(part.num_edges).reduce((a, b) => a + b, 0)),
    },
    created_by: 'fanout partition',
    graph_version: options.graphVersion,
  };
  await store.put(manifestKey, Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`), {
    contentType: 'application/json',
  });
  return manifest;
}

/** A node type's columns for the given original IDs, in that order. */
function gatherNodeColumns(ntype: NodeTypeData, orig: Int32Array): NodeColumns {
  const columns: NodeColumns = { features: new Map(), masks: {} };
  for (const [name, f] of ntype.features) {
    const data = new Float32Array(orig.length * f.dim);
    for (let r = 0; r < orig.length; r++) data.set(f.data.subarray(orig[r] * f.dim, (orig[r] + 1) * f.dim), r * f.dim);
    columns.features.set(name, { dim: f.dim, data });
  }
  if (ntype.label) columns.label = Int32Array.from(orig, (o) => ntype.label![o]);
  for (const mask of MASK_NAMES) {
    const bits = ntype.masks[mask];
    if (bits) columns.masks[mask] = Uint8Array.from(orig, (o) => bits[o]);
  }
  if (ntype.time) columns.time = BigInt64Array.from(orig, (o) => ntype.time![o]);
  return columns;
}

/** Stored arcs whose two ends lie in different partitions. */
function countEdgeCut(graph: GraphData, assignment: Assignment): number {
  let cut = 0;
  for (const etype of graph.etypes) {
    const srcPart = assignment.get(etype.srcType)!;
    const dstPart = assignment.get(etype.dstType)!;
    const { src, dst } = etype.edges;
    for (let i = 0; i < src.length; i++) if (srcPart[src[i]] !== dstPart[dst[i]]) cut++;
  }
  return cut;
}

function validate(graph: GraphData, numParts: number, rowsPerBatch: number): void {
  if (!Number.isInteger(numParts) || numParts < 1)
    throw new FanoutError('INVALID_ARGUMENT', `--parts must be a positive integer, got ${numParts}`);
  if (!Number.isInteger(rowsPerBatch) || rowsPerBatch < 1)
    throw new FanoutError('INVALID_ARGUMENT', `rows per batch must be a positive integer, got ${rowsPerBatch}`);
  const total = graph.ntypes.reduce((n, t) => n + t.numNodes, 0);
  if (numParts > total)
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `cannot split ${total} nodes into ${numParts} parts: use at most ${total} parts`,
    );
  for (const etype of graph.etypes) {
    const src = graph.ntypes.find((t) => t.name === etype.srcType);
    const dst = graph.ntypes.find((t) => t.name === etype.dstType);
    if (!src || !dst) throw new FanoutError('INVALID_INPUT', `edge type ${etype.name} names an unknown node type`);
    for (const [ids, type] of [
      [etype.edges.src, src],
      [etype.edges.dst, dst],
    ] as const) {
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] < 0 || ids[i] >= type.numNodes) {
          throw new FanoutError(
            'INVALID_INPUT',
            `edge ${i} of ${etype.name} names node ${ids[i]}, outside [0, ${type.numNodes}) of type ${type.name}`,
          );
        }
      }
    }
  }
}

function checkAssignment(graph: GraphData, assignment: Assignment, numParts: number): void {
  for (const ntype of graph.ntypes) {
    const partOf = assignment.get(ntype.name);
    if (!partOf || partOf.length !== ntype.numNodes)
      throw new FanoutError('INVALID_INPUT', `the assignment misses node type ${ntype.name}`);
    for (let v = 0; v < partOf.length; v++) {
      if (partOf[v] < 0 || partOf[v] >= numParts)
        throw new FanoutError('INVALID_INPUT', `node ${v} assigned to partition ${partOf[v]} of ${numParts}`);
    }
  }
}

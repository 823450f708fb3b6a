import { DataType, FixedSizeList, type Table, tableFromIPC, type Vector } from 'apache-arrow';
import { FanoutError } from '../errors/index.ts';
import { readBool, readVectors } from '../format/columns.ts';
import {
  type DenseFeature,
  type EdgeList,
  type EdgeTypeData,
  type GraphData,
  homogeneousGraph,
  MASK_NAMES,
  type MaskName,
  type NodeTypeData,
} from '../graph/index.ts';
import { listAll, type ObjectStore } from '../storage/index.ts';
import { maxPlusOne } from './snap.ts';

/**
 * Arrow IPC tables (file or stream format), in two layouts.
 *
 * Homogeneous: `edges.arrow` with `src`, `dst` (integer node IDs), optional `weight` (float, ≥ 0, finite), optional
 * `time` (integer); any other numeric or FixedSizeList<Float32> column becomes an edge feature. An optional
 * `nodes.arrow` (row = node ID) carries `label`, `train_mask`/`val_mask`/`test_mask`, `time` and features.
 *
 * Heterogeneous (see `readHeteroArrowTables`): one edge table per canonical edge type under `edges/`, one optional
 * node table per node type under `nodes/`, with the same columns.
 *
 * `store` is rooted at the directory holding the tables.
 */
export async function readArrowTables(
  store: ObjectStore,
  name: string,
  keys: { edges: string; nodes?: string } = { edges: 'edges.arrow', nodes: 'nodes.arrow' },
): Promise<GraphData> {
  const edges = await readEdgeTable(store, keys.edges);
  const maxId = maxPlusOne(edges.src, edges.dst);
  const node = keys.nodes && (await store.head(keys.nodes)) ? await readNodeTable(store, keys.nodes, maxId) : undefined;
  return homogeneousGraph(name, node ?? { numNodes: maxId, features: new Map(), masks: {} }, edges);
}

/** Where the heterogeneous layout keeps its tables: `edges/<src>___<relation>___<dst>.arrow`, `nodes/<type>.arrow`. */
export const HETERO_EDGES_PREFIX = 'edges/';
export const HETERO_NODES_PREFIX = 'nodes/';
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * The heterogeneous layout, with OGB's `src___relation___dst` naming of relations (ogbn-mag's raw/relations/):
 * `edges/author___writes___paper.arrow` holds the arcs of canonical edge type `author:writes:paper`, their IDs
 * being each type's own node IDs; `nodes/paper.arrow` holds paper's node data, one row per paper. A type's node count
 * is its node table's row count, else its largest ID + 1 over the edge types that touch it.
 */
export async function readHeteroArrowTables(store: ObjectStore, name: string): Promise<GraphData> {
  const etypes: EdgeTypeData[] = [];
  const nodeKeys = new Map<string, string>();
  for await (const object of listAll(store, HETERO_NODES_PREFIX)) {
    const ntype = object.key.slice(HETERO_NODES_PREFIX.length).replace(/\.(arrow|feather|arrows|ipc)$/, '');
    if (!TYPE_NAME.test(ntype)) {
      throw new FanoutError(
        'INVALID_INPUT',
        `${store.uri}/${object.key}: a node table is named <type>.arrow, the type matching ${TYPE_NAME}`,
      );
    }
    nodeKeys.set(ntype, object.key);
  }
  for await (const object of listAll(store, HETERO_EDGES_PREFIX)) {
    const stem = object.key.slice(HETERO_EDGES_PREFIX.length).replace(/\.(arrow|feather|arrows|ipc)$/, '');
    const parts = stem.split('___');
    if (parts.length !== 3 || !parts.every((p) => TYPE_NAME.test(p))) {
      throw new FanoutError(
        'INVALID_INPUT',
        `${store.uri}/${object.key}: an edge table is named <src>___<relation>___<dst>.arrow, each name matching ${TYPE_NAME}`,
      );
    }
    const [srcType, relation, dstType] = parts;
    const edges = await readEdgeTable(store, object.key);
    etypes.push({
      name: `${srcType}:${relation}:${dstType}`,
      srcType,
      dstType,
      edges,
      numInputEdges: edges.src.length,
    });
  }
  if (etypes.length === 0) {
    throw new FanoutError('INVALID_INPUT', `${store.uri}: no edge tables under ${HETERO_EDGES_PREFIX}`);
  }
  const maxIds = new Map<string, number>([...nodeKeys.keys()].map((t) => [t, 0]));
  for (const e of etypes) {
    maxIds.set(e.srcType, Math.max(maxIds.get(e.srcType) ?? 0, maxPlusOne(e.edges.src)));
    maxIds.set(e.dstType, Math.max(maxIds.get(e.dstType) ?? 0, maxPlusOne(e.edges.dst)));
  }
  const ntypes: NodeTypeData[] = [];
  for (const [ntype, maxId] of [...maxIds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const key = nodeKeys.get(ntype);
    const node = key ? await readNodeTable(store, key, maxId) : { numNodes: maxId, features: new Map(), masks: {} };
    ntypes.push({ name: ntype, ...node });
  }
  return { name, undirected: false, ntypes, etypes };
}

/** An edge table: `src`, `dst`, optional `weight` and `time`, other columns as edge features. */
async function readEdgeTable(store: ObjectStore, key: string): Promise<EdgeList> {
  const source = `${store.uri}/${key}`;
  const table = decode(await store.get(key), source);
  const src = toNodeIds(column(table, 'src', source), source, 'src');
  const dst = toNodeIds(column(table, 'dst', source), source, 'dst');
  const edges: EdgeList = { src, dst, features: new Map() };
  for (const field of table.schema.fields) {
    const v = column(table, field.name, source);
    if (field.name === 'src' || field.name === 'dst') continue;
    if (field.name === 'weight') edges.weight = toWeights(v, source);
    else if (field.name === 'time') edges.time = toInt64(v, source, 'time');
    else edges.features.set(field.name, toFeature(table, field.name, source));
  }
  return edges;
}

/** A node table, one row per node ID; it must cover the `minNodes` IDs that edges name. */
async function readNodeTable(store: ObjectStore, key: string, minNodes: number): Promise<Omit<NodeTypeData, 'name'>> {
  const source = `${store.uri}/${key}`;
  const table = decode(await store.get(key), source);
  if (table.numRows < minNodes) {
    throw new FanoutError(
      'INVALID_INPUT',
      `${source}: ${table.numRows} rows, but edges name node ${minNodes - 1}; the node table needs a row per node ID`,
    );
  }
  const node: Omit<NodeTypeData, 'name'> = { numNodes: table.numRows, features: new Map(), masks: {} };
  for (const field of table.schema.fields) {
    const v = column(table, field.name, source);
    if (field.name === 'label') node.label = toLabels(v, source);
    else if ((MASK_NAMES as readonly string[]).includes(field.name))
      node.masks[field.name as MaskName] = readBool(table, field.name, source);
    else if (field.name === 'time') node.time = toInt64(v, source, 'time');
    else node.features.set(field.name, toFeature(table, field.name, source));
  }
  return node;
}

function decode(bytes: Uint8Array, source: string): Table {
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    throw new FanoutError('INVALID_INPUT', `${source}: not an Arrow IPC file or stream: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function column(table: Table, name: string, source: string): Vector {
  const v = table.getChild(name);
  if (!v) throw new FanoutError('INVALID_INPUT', `${source}: missing column "${name}"`);
  if (v.nullCount > 0) throw new FanoutError('INVALID_INPUT', `${source}: column "${name}" has ${v.nullCount} nulls`);
  return v;
}

/** Any integer column as Int32 node IDs; 64-bit columns are checked through their 32-bit halves, without BigInts. */
function toNodeIds(v: Vector, source: string, name: string): Int32Array {
  const values = (
    DataType.isInt(v.type) && v.type.bitWidth === 32 && v.type.isSigned ? concatInt32(v) : v.toArray()
  ) as ArrayLike<number | bigint>;
  const bad = (i: number) => {
    throw new FanoutError(
      'INVALID_INPUT',
      `${source}: ${name} of row ${i} is ${values[i]}: node IDs must be integers in [0, 2^31 - 1]`,
    );
  };
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const out = new Int32Array(values.length);
    for (let i = 0; i < out.length; i++) {
      if (halves[2 * i + 1] !== 0 || halves[2 * i] < 0) bad(i);
      out[i] = halves[2 * i];
    }
    return out;
  }
  if (values instanceof Int32Array) {
    for (let i = 0; i < values.length; i++) if (values[i] < 0) bad(i);
    return values;
  }
  if (
    values instanceof Uint32Array ||
    values instanceof Int16Array ||
    values instanceof Uint16Array ||
    values instanceof Int8Array ||
    values instanceof Uint8Array
  ) {
    const out = Int32Array.from(values as ArrayLike<number>);
    for (let i = 0; i < out.length; i++) if (out[i] < 0 || values[i] !== out[i]) bad(i);
    return out;
  }
  throw new FanoutError('INVALID_INPUT', `${source}: column "${name}" has type ${v.type}: node IDs must be integers`);
}

/** Arrow's generic toArray is several times slower than copying each chunk's values with set(). */
function concatInt32(v: Vector): Int32Array {
  if (v.data.length === 1)
    return (v.data[0].values as Int32Array).subarray(v.data[0].offset, v.data[0].offset + v.length);
  const out = new Int32Array(v.length);
  let at = 0;
  for (const d of v.data) {
    out.set((d.values as Int32Array).subarray(d.offset, d.offset + d.length), at);
    at += d.length;
  }
  return out;
}

function toLabels(v: Vector, source: string): Int32Array {
  const values = v.toArray();
  if (values instanceof Int32Array) return values;
  if (values instanceof BigInt64Array) return Int32Array.from(values, (x) => Number(x));
  if (ArrayBuffer.isView(values)) return Int32Array.from(values as unknown as ArrayLike<number>);
  throw new FanoutError('INVALID_INPUT', `${source}: column "label" has type ${v.type}: labels must be integers`);
}

function toWeights(v: Vector, source: string): Float32Array {
  const values = v.toArray();
  if (!(values instanceof Float32Array || values instanceof Float64Array)) {
    throw new FanoutError('INVALID_INPUT', `${source}: column "weight" has type ${v.type}: weights must be floats`);
  }
  const out = values instanceof Float32Array ? values : Float32Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (!(out[i] >= 0 && out[i] < Infinity)) {
      throw new FanoutError(
        'INVALID_INPUT',
        `${source}: weight of row ${i} is ${values[i]}: weights must be finite and ≥ 0`,
      );
    }
  }
  return out;
}

function toInt64(v: Vector, source: string, name: string): BigInt64Array {
  const values = v.toArray();
  if (values instanceof BigInt64Array) return values;
  if (values instanceof Int32Array || values instanceof Uint32Array) {
    const out = new BigInt64Array(values.length);
    const halves = new Int32Array(out.buffer);
    for (let i = 0; i < values.length; i++) {
      halves[2 * i] = values[i];
      halves[2 * i + 1] = values instanceof Int32Array && values[i] < 0 ? -1 : 0;
    }
    return out;
  }
  throw new FanoutError('INVALID_INPUT', `${source}: column "${name}" has type ${v.type}: times must be integers`);
}

function toFeature(table: Table, name: string, source: string): DenseFeature {
  const type = table.schema.fields.find((f) => f.name === name)!.type;
  if (type instanceof FixedSizeList) return readVectors(table, name, source);
  const values = table.getChild(name)!.toArray();
  if (values instanceof Float32Array) return { dim: 1, data: values };
  if (values instanceof Float64Array || values instanceof Int32Array)
    return { dim: 1, data: Float32Array.from(values) };
  throw new FanoutError(
    'INVALID_INPUT',
    `${source}: column "${name}" has type ${type}: features must be floats or FixedSizeList<Float32>`,
  );
}

import { DataType, FixedSizeList, type Table, tableFromIPC, type Vector } from 'apache-arrow';
import { FanoutError } from '../errors/index.ts';
import { readBool, readVectors } from '../format/columns.ts';
import {
  type DenseFeature,
  type EdgeList,
  type GraphData,
  homogeneousGraph,
  MASK_NAMES,
  type MaskName,
  type NodeTypeData,
} from '../graph/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { maxPlusOne } from './snap.ts';

/**
 * Arrow IPC edge tables (file or stream format): `src`, `dst` (integer node IDs), optional `weight` (float, ≥ 0,
 * finite), optional `time` (integer); any other numeric or FixedSizeList<Float32> column becomes an edge feature.
 * An optional node table (row = node ID) carries `label`, `train_mask`/`val_mask`/`test_mask`, `time` and features.
 * `store` is rooted at the directory holding the tables; the keys default to `edges.arrow` and `nodes.arrow`.
 */
export async function readArrowTables(
  store: ObjectStore,
  name: string,
  keys: { edges: string; nodes?: string } = { edges: 'edges.arrow', nodes: 'nodes.arrow' },
): Promise<GraphData> {
  const edgeSource = `${store.uri}/${keys.edges}`;
  const edgeTable = decode(await store.get(keys.edges), edgeSource);
  const src = toNodeIds(column(edgeTable, 'src', edgeSource), edgeSource, 'src');
  const dst = toNodeIds(column(edgeTable, 'dst', edgeSource), edgeSource, 'dst');
  const edges: EdgeList = { src, dst, features: new Map() };
  for (const field of edgeTable.schema.fields) {
    const v = column(edgeTable, field.name, edgeSource);
    if (field.name === 'src' || field.name === 'dst') continue;
    if (field.name === 'weight') edges.weight = toWeights(v, edgeSource);
    else if (field.name === 'time') edges.time = toInt64(v, edgeSource, 'time');
    else edges.features.set(field.name, toFeature(edgeTable, field.name, edgeSource));
  }

  let numNodes = maxPlusOne(src, dst);
  const node: Omit<NodeTypeData, 'name'> = { numNodes, features: new Map(), masks: {} };
  if (keys.nodes && (await store.head(keys.nodes))) {
    const nodeSource = `${store.uri}/${keys.nodes}`;
    const nodeTable = decode(await store.get(keys.nodes), nodeSource);
    if (nodeTable.numRows < numNodes) {
      throw new FanoutError(
        'INVALID_INPUT',
        `${nodeSource}: ${nodeTable.numRows} rows, but edges name node ${numNodes - 1}; the node table needs a row per node ID`,
      );
    }
    numNodes = nodeTable.numRows;
    node.numNodes = numNodes;
    for (const field of nodeTable.schema.fields) {
      const v = column(nodeTable, field.name, nodeSource);
      if (field.name === 'label') node.label = toLabels(v, nodeSource);
      else if ((MASK_NAMES as readonly string[]).includes(field.name))
        node.masks[field.name as MaskName] = readBool(nodeTable, field.name, nodeSource);
      else if (field.name === 'time') node.time = toInt64(v, nodeSource, 'time');
      else node.features.set(field.name, toFeature(nodeTable, field.name, nodeSource));
    }
  }
  return homogeneousGraph(name, node, edges);
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

import { Bool, type Data, Field, type Table } from 'apache-arrow';
import type { DenseFeature, MaskName } from '../graph/index.ts';
import { MASK_NAMES } from '../graph/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { writeArrowFile } from './arrow-file.ts';
import {
  boolData,
  float32Data,
  float32Type,
  int32Data,
  int32Type,
  int64Data,
  int64Type,
  listData,
  listOf,
  readBool,
  readList,
  readPrimitive,
  readVectors,
  rebasedOffsets,
  recordBatch,
  vectorData,
  vectorOf,
} from './columns.ts';
import type { FeatureSpec, FileEntry } from './manifest.ts';

/**
 * The four kinds of file of partition format v1 and their exact columns. Each kind has an encoder (typed arrays →
 * record batches of `rowsPerBatch` rows) and a decoder (table → typed arrays), so writer and reader share one
 * definition of every column.
 */

/** One partition's in-edges of one edge type in CSC form; row r is the owned node `start + r`. */
export interface PartCsc {
  /** Row offsets into the arc arrays, length rows + 1, from 0. */
  indptr: Int32Array;
  nbr: Int32Array;
  eid: BigInt64Array;
  weight?: Float32Array;
  time?: BigInt64Array;
  nbrTime?: BigInt64Array;
}

/** Node data of the rows a partition owns, in internal-ID order. */
export interface NodeColumns {
  features: Map<string, DenseFeature>;
  label?: Int32Array;
  masks: Partial<Record<MaskName, Uint8Array>>;
  time?: BigInt64Array;
}

export interface IdMaps {
  /** Row = original ID → internal ID. */
  internalOfOrig: Int32Array;
  /** Row = internal ID → original ID. */
  origOfInternal: Int32Array;
}

/** [start, end) row ranges of the record batches of a file of `rows` rows (one empty batch for an empty file). */
export function batchRanges(rows: number, rowsPerBatch: number): [number, number][] {
  const out: [number, number][] = [];
  for (let start = 0; start < rows; start += rowsPerBatch) out.push([start, Math.min(rows, start + rowsPerBatch)]);
  return out.length > 0 ? out : [[0, 0]];
}

// ---- graph.<etype>.arrow ----

export async function writeGraphFile(
  store: ObjectStore,
  key: string,
  csc: PartCsc,
  rowsPerBatch: number,
): Promise<FileEntry> {
  const rows = csc.indptr.length - 1;
  const fields = [new Field('nbr', listOf(int32Type()), false), new Field('eid', listOf(int64Type()), false)];
  if (csc.weight) fields.push(new Field('weight', listOf(float32Type()), false));
  if (csc.time) fields.push(new Field('time', listOf(int64Type()), false));
  if (csc.nbrTime) fields.push(new Field('nbr_time', listOf(int64Type()), false));
  const batches = batchRanges(rows, rowsPerBatch).map(([from, to]) => {
    const offsets = rebasedOffsets(csc.indptr, from, to);
    const a = csc.indptr[from];
    const b = csc.indptr[to];
    const columns: Data[] = [
      listData(offsets, int32Data(csc.nbr.subarray(a, b))),
      listData(offsets, int64Data(csc.eid.subarray(a, b))),
    ];
    if (csc.weight) columns.push(listData(offsets, float32Data(csc.weight.subarray(a, b))));
    if (csc.time) columns.push(listData(offsets, int64Data(csc.time.subarray(a, b))));
    if (csc.nbrTime) columns.push(listData(offsets, int64Data(csc.nbrTime.subarray(a, b))));
    return recordBatch(fields, columns, to - from);
  });
  return writeArrowFile(store, key, batches[0].schema, batches);
}

export function decodeGraphTable(table: Table, source: string): PartCsc {
  const nbr = readList(table, 'nbr', Int32Array, source);
  const csc: PartCsc = {
    indptr: nbr.offsets,
    nbr: nbr.values,
    eid: readList(table, 'eid', BigInt64Array, source).values,
  };
  const names = new Set(table.schema.fields.map((f) => f.name));
  if (names.has('weight')) csc.weight = readList(table, 'weight', Float32Array, source).values;
  if (names.has('time')) csc.time = readList(table, 'time', BigInt64Array, source).values;
  if (names.has('nbr_time')) csc.nbrTime = readList(table, 'nbr_time', BigInt64Array, source).values;
  return csc;
}

// ---- node_feats.<ntype>.arrow ----

export function nodeFeatureSpecs(columns: NodeColumns): FeatureSpec[] {
  const specs: FeatureSpec[] = [...columns.features].map(([name, f]) => ({ name, dtype: 'float32', shape: [f.dim] }));
  if (columns.label) specs.push({ name: 'label', dtype: 'int32', shape: [] });
  for (const mask of MASK_NAMES) if (columns.masks[mask]) specs.push({ name: mask, dtype: 'bool', shape: [] });
  return specs;
}

export async function writeNodeFeatsFile(
  store: ObjectStore,
  key: string,
  rows: number,
  columns: NodeColumns,
  rowsPerBatch: number,
): Promise<FileEntry> {
  const fields: Field[] = [];
  for (const [name, f] of columns.features) fields.push(new Field(name, vectorOf(f.dim), false));
  if (columns.label) fields.push(new Field('label', int32Type(), false));
  const masks = MASK_NAMES.filter((m) => columns.masks[m]);
  for (const mask of masks) fields.push(new Field(mask, new Bool(), false));
  if (columns.time) fields.push(new Field('time', int64Type(), false));
  const batches = batchRanges(rows, rowsPerBatch).map(([from, to]) => {
    const data: Data[] = [];
    for (const f of columns.features.values()) data.push(vectorData(f.data.subarray(from * f.dim, to * f.dim), f.dim));
    if (columns.label) data.push(int32Data(columns.label.subarray(from, to)));
    for (const mask of masks) data.push(boolData(columns.masks[mask]!.subarray(from, to)));
    if (columns.time) data.push(int64Data(columns.time.subarray(from, to)));
    return recordBatch(fields, data, to - from);
  });
  return writeArrowFile(store, key, batches[0].schema, batches);
}

export function decodeNodeFeatsTable(table: Table, source: string): NodeColumns {
  const out: NodeColumns = { features: new Map(), masks: {} };
  for (const field of table.schema.fields) {
    if (field.name === 'label') out.label = readPrimitive(table, 'label', Int32Array, source);
    else if (field.name === 'time') out.time = readPrimitive(table, 'time', BigInt64Array, source);
    else if ((MASK_NAMES as readonly string[]).includes(field.name))
      out.masks[field.name as MaskName] = readBool(table, field.name, source);
    else out.features.set(field.name, readVectors(table, field.name, source));
  }
  return out;
}

// ---- edge_feats.<etype>.arrow: rows are the partition's arcs in CSC order, batched with the graph file's rows ----

export async function writeEdgeFeatsFile(
  store: ObjectStore,
  key: string,
  indptr: Int32Array,
  features: Map<string, DenseFeature>,
  rowsPerBatch: number,
): Promise<FileEntry> {
  const fields = [...features].map(([name, f]) => new Field(name, vectorOf(f.dim), false));
  const batches = batchRanges(indptr.length - 1, rowsPerBatch).map(([from, to]) => {
    const a = indptr[from];
    const b = indptr[to];
    return recordBatch(
      fields,
      [...features.values()].map((f) => vectorData(f.data.subarray(a * f.dim, b * f.dim), f.dim)),
      b - a,
    );
  });
  return writeArrowFile(store, key, batches[0].schema, batches);
}

export function decodeEdgeFeatsTable(table: Table, source: string): Map<string, DenseFeature> {
  return new Map(table.schema.fields.map((f) => [f.name, readVectors(table, f.name, source)]));
}

// ---- ids.<ntype>.arrow ----

export async function writeIdsFile(
  store: ObjectStore,
  key: string,
  maps: IdMaps,
  rowsPerBatch: number,
): Promise<FileEntry> {
  const fields = [new Field('internal_of_orig', int32Type(), false), new Field('orig_of_internal', int32Type(), false)];
  const batches = batchRanges(maps.origOfInternal.length, rowsPerBatch).map(([from, to]) =>
    recordBatch(
      fields,
      [int32Data(maps.internalOfOrig.subarray(from, to)), int32Data(maps.origOfInternal.subarray(from, to))],
      to - from,
    ),
  );
  return writeArrowFile(store, key, batches[0].schema, batches);
}

export function decodeIdsTable(table: Table, source: string): IdMaps {
  return {
    internalOfOrig: readPrimitive(table, 'internal_of_orig', Int32Array, source),
    origOfInternal: readPrimitive(table, 'orig_of_internal', Int32Array, source),
  };
}

import {
  Bool,
  type Data,
  type DataType,
  Field,
  FixedSizeList,
  Float32,
  Int32,
  Int64,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  type Table,
} from 'apache-arrow';
import { FanoutError } from '../errors/index.ts';

/**
 * Conversions between the typed arrays the engine computes on and Arrow columns. Builders are avoided on purpose:
 * every column is made from (or read back into) whole typed arrays, so a file of 60M arcs costs a few copies at most.
 */

export const int32Type = () => new Int32();
export const int64Type = () => new Int64();
export const float32Type = () => new Float32();
export const listOf = (item: DataType) => new List(new Field('item', item, false));
export const vectorOf = (dim: number) => new FixedSizeList(dim, new Field('item', new Float32(), false));

export function int32Data(values: Int32Array): Data {
  return makeData({ type: new Int32(), length: values.length, nullCount: 0, data: values });
}

export function int64Data(values: BigInt64Array): Data {
  return makeData({ type: new Int64(), length: values.length, nullCount: 0, data: values });
}

export function float32Data(values: Float32Array): Data {
  return makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values });
}

/** 0/1 bytes packed into Arrow's LSB-first bitmap. */
export function boolData(values: Uint8Array): Data {
  const bits = new Uint8Array((values.length + 7) >>> 3);
  for (let i = 0; i < values.length; i++) if (values[i]) bits[i >>> 3] |= 1 << (i & 7);
  return makeData({ type: new Bool(), length: values.length, nullCount: 0, data: bits });
}

export function vectorData(values: Float32Array, dim: number): Data {
  const rows = dim === 0 ? 0 : values.length / dim;
  // Arrow's typings resolve FixedSizeList props to the generic overload; the call itself is the documented one.
  const props = { type: vectorOf(dim), length: rows, nullCount: 0, child: float32Data(values) };
  return (makeData as (p: typeof props) => Data)(props);
}

/** A List column over `child`, with offsets that start at 0 (the caller rebases a slice). */
export function listData(offsets: Int32Array, child: Data): Data {
  return makeData({ type: listOf(child.type), length: offsets.length - 1, nullCount: 0, valueOffsets: offsets, child });
}

export function recordBatch(fields: Field[], columns: Data[], rows: number): RecordBatch {
  const schema = new Schema(fields);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: columns }));
}

/** Offsets of rows [from, to) of a CSC indptr, rebased to start at 0. */
export function rebasedOffsets(indptr: Int32Array, from: number, to: number): Int32Array {
  const base = indptr[from];
  const out = new Int32Array(to - from + 1);
  for (let i = 0; i <= to - from; i++) out[i] = indptr[from + i] - base;
  return out;
}

// ---- reading ----

function chunksOf(table: Table, name: string, source: string): Data[] {
  const column = table.getChild(name);
  if (!column) throw new FanoutError('INVALID_INPUT', `${source}: missing column "${name}"`);
  return column.data as Data[];
}

type NumericArray = Int32Array | Float32Array | BigInt64Array;
type NumericCtor<T extends NumericArray> = { new (length: number): T };

/** A primitive column as one typed array (a view when the table has a single chunk). */
export function readPrimitive<T extends NumericArray>(
  table: Table,
  name: string,
  ctor: NumericCtor<T>,
  source: string,
): T {
  const chunks = chunksOf(table, name, source);
  const views = chunks.map((d) => {
    if (!(d.values instanceof ctor))
      throw new FanoutError('INVALID_INPUT', `${source}: column "${name}" has type ${d.type}, expected ${ctor.name}`);
    if (d.nullCount > 0) throw new FanoutError('INVALID_INPUT', `${source}: column "${name}" has nulls`);
    return (d.values as T).subarray(d.offset, d.offset + d.length) as T;
  });
  return concat(views, ctor);
}

export function readBool(table: Table, name: string, source: string): Uint8Array {
  const chunks = chunksOf(table, name, source);
  const out = new Uint8Array(table.numRows);
  let at = 0;
  for (const d of chunks) {
    const bits = d.values as Uint8Array;
    for (let i = 0; i < d.length; i++) out[at++] = (bits[(d.offset + i) >>> 3] >>> ((d.offset + i) & 7)) & 1;
  }
  return out;
}

/** A FixedSizeList<Float32> column as one row-major Float32Array, with its width. */
export function readVectors(table: Table, name: string, source: string): { dim: number; data: Float32Array } {
  const chunks = chunksOf(table, name, source);
  const type = chunks[0]?.type ?? table.schema.fields.find((f) => f.name === name)?.type;
  if (!(type instanceof FixedSizeList))
    throw new FanoutError('INVALID_INPUT', `${source}: column "${name}" is not a FixedSizeList`);
  const dim = type.listSize;
  const views = chunks.map((d) => {
    const child = d.children[0];
    return (child.values as Float32Array).subarray(
      child.offset + d.offset * dim,
      child.offset + (d.offset + d.length) * dim,
    );
  });
  return { dim, data: concat(views, Float32Array) };
}

/** A List column as global offsets (rows + 1, from 0) and one child array. */
export function readList<T extends NumericArray>(
  table: Table,
  name: string,
  ctor: NumericCtor<T>,
  source: string,
): { offsets: Int32Array; values: T } {
  const chunks = chunksOf(table, name, source);
  const offsets = new Int32Array(table.numRows + 1);
  const views: T[] = [];
  let row = 0;
  let total = 0;
  for (const d of chunks) {
    const vo = d.valueOffsets as Int32Array;
    const first = vo[d.offset];
    for (let i = 1; i <= d.length; i++) offsets[row + i] = total + vo[d.offset + i] - first;
    row += d.length;
    const count = vo[d.offset + d.length] - first;
    const child = d.children[0];
    if (!(child.values instanceof ctor))
      throw new FanoutError(
        'INVALID_INPUT',
        `${source}: list column "${name}" holds ${child.type}, expected ${ctor.name}`,
      );
    views.push((child.values as T).subarray(child.offset + first, child.offset + first + count) as T);
    total += count;
  }
  return { offsets, values: concat(views, ctor) };
}

function concat<T extends NumericArray>(views: T[], ctor: NumericCtor<T>): T {
  if (views.length === 1) return views[0];
  const out = new ctor(views.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of views) {
    (out as unknown as { set(a: T, o: number): void }).set(v, at);
    at += v.length;
  }
  return out;
}

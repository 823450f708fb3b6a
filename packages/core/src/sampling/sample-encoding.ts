import { Field, Table, tableToIPC } from 'apache-arrow';
import { float32Data, int32Data, int64Data, listData, listOf, recordBatch } from '../format/columns.ts';
import { JsonWriter } from './json-writer.ts';
import type { HeteroSamplerOutput, SamplerOutput } from './sampler-output.ts';

/**
 * A sample as one JSON object's UTF-8 bytes, with PyG's field names — `node`, `row`, `col`, `edge`, `batch` (disjoint
 * only), `num_sampled_nodes`, `num_sampled_edges` — IDs as JSON numbers. `extra` fields (already JSON) come first,
 * `trailing` ones last.
 */
export function sampleToJson(
  o: SamplerOutput,
  extra: Record<string, string> = {},
  trailing: Record<string, string> = {},
): Uint8Array {
  // Up to 11 bytes per 32-bit number with its comma, 20 per edge ID, and room for the extra fields.
  const numbers = o.node.length + 2 * o.row.length + (o.batch?.length ?? 0);
  const w = new JsonWriter(11 * numbers + 21 * (o.edge?.length ?? 0) + 4096).raw('{');
  for (const [key, value] of Object.entries(extra)) w.raw(`${JSON.stringify(key)}:${value},`);
  w.raw('"node":').ints(o.node).raw(',"row":').ints(o.row).raw(',"col":').ints(o.col);
  if (o.edge) w.raw(',"edge":').bigints(o.edge);
  if (o.batch) w.raw(',"batch":').ints(o.batch);
  w.raw(',"num_sampled_nodes":').ints(o.numSampledNodes).raw(',"num_sampled_edges":').ints(o.numSampledEdges);
  for (const [key, value] of Object.entries(trailing)) w.raw(`,${JSON.stringify(key)}:${value}`);
  return w.raw('}').finish();
}

/**
 * A sample as an Arrow IPC stream of one record batch with one row whose columns are lists — the same fields as the
 * JSON form (node Int32, row/col Int32, edge Int64, batch Int32, num_sampled_* Int32) — so the arrays of different
 * lengths travel in one self-describing message, each list's values being the sample's typed array as is.
 * Read it with `tableFromIPC(bytes).get(0)` (apache-arrow) or `pyarrow.ipc.open_stream`.
 */
export function sampleToArrowStream(o: SamplerOutput, extra: [string, Int32Array | Float32Array][] = []): Uint8Array {
  const columns: [string, Int32Array | BigInt64Array | Float32Array][] = [
    ['node', o.node],
    ['row', o.row],
    ['col', o.col],
  ];
  if (o.edge) columns.push(['edge', o.edge]);
  if (o.batch) columns.push(['batch', o.batch]);
  columns.push(['num_sampled_nodes', Int32Array.from(o.numSampledNodes)]);
  columns.push(['num_sampled_edges', Int32Array.from(o.numSampledEdges)]);
  columns.push(...extra);
  return listColumnsToArrowStream(columns);
}

/**
 * A heterogeneous sample as JSON: PyG's HeteroSamplerOutput fields, each an object keyed by node type (`node`,
 * `batch`, `num_sampled_nodes`) or by canonical edge type (`row`, `col`, `edge`, `num_sampled_edges`).
 */
export function heteroSampleToJson(o: HeteroSamplerOutput, trailing: Record<string, string> = {}): Uint8Array {
  let numbers = 0;
  for (const v of Object.values(o.node)) numbers += v.length;
  for (const v of Object.values(o.row)) numbers += 2 * v.length + 2;
  let edgeIds = 0;
  for (const v of Object.values(o.edge ?? {})) edgeIds += v.length;
  const w = new JsonWriter(11 * 2 * numbers + 21 * edgeIds + 4096).raw('{');
  const field = (name: string, values: Record<string, ArrayLike<number>> | undefined, first = false) => {
    if (!values) return;
    w.raw(`${first ? '' : ','}${JSON.stringify(name)}:{`);
    Object.entries(values).forEach(([type, v], i) => {
      w.raw(`${i > 0 ? ',' : ''}${JSON.stringify(type)}:`).ints(v);
    });
    w.raw('}');
  };
  field('node', o.node, true);
  field('row', o.row);
  field('col', o.col);
  if (o.edge) {
    w.raw(',"edge":{');
    Object.entries(o.edge).forEach(([type, v], i) => {
      w.raw(`${i > 0 ? ',' : ''}${JSON.stringify(type)}:`).bigints(v);
    });
    w.raw('}');
  }
  field('batch', o.batch);
  field('num_sampled_nodes', o.numSampledNodes);
  field('num_sampled_edges', o.numSampledEdges);
  for (const [key, value] of Object.entries(trailing)) w.raw(`,${JSON.stringify(key)}:${value}`);
  return w.raw('}').finish();
}

/**
 * A heterogeneous sample as an Arrow IPC stream of one row of list columns, one column per field and type, named
 * `<field>[<type>]`: `node[paper]`, `row[author:writes:paper]`, `num_sampled_nodes[paper]`, …
 */
export function heteroSampleToArrowStream(o: HeteroSamplerOutput): Uint8Array {
  const columns: [string, Int32Array | BigInt64Array][] = [];
  const add = (name: string, values: Record<string, Int32Array | BigInt64Array | number[]> | undefined) => {
    for (const [type, v] of Object.entries(values ?? {})) {
      columns.push([`${name}[${type}]`, Array.isArray(v) ? Int32Array.from(v) : v]);
    }
  };
  add('node', o.node);
  add('row', o.row);
  add('col', o.col);
  add('edge', o.edge);
  add('batch', o.batch);
  add('num_sampled_nodes', o.numSampledNodes);
  add('num_sampled_edges', o.numSampledEdges);
  return listColumnsToArrowStream(columns);
}

/** One record batch of one row: each column a list holding one typed array as is. */
function listColumnsToArrowStream(columns: [string, Int32Array | BigInt64Array | Float32Array][]): Uint8Array {
  const fields: Field[] = [];
  const data = columns.map(([name, values]) => {
    const child =
      values instanceof BigInt64Array
        ? int64Data(values)
        : values instanceof Float32Array
          ? float32Data(values)
          : int32Data(values);
    fields.push(new Field(name, listOf(child.type), false));
    return listData(Int32Array.of(0, values.length), child);
  });
  return tableToIPC(new Table(recordBatch(fields, data, 1)), 'stream');
}

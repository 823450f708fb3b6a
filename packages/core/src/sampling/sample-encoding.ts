import { Field, Int32, Int64, Table, tableToIPC } from 'apache-arrow';
import { int32Data, int64Data, listData, listOf, recordBatch } from '../format/columns.ts';
import type { SamplerOutput } from './sampler-output.ts';

/**
 * A sample as one JSON object with PyG's field names — `node`, `row`, `col`, `edge`, `batch` (disjoint only),
 * `num_sampled_nodes`, `num_sampled_edges` — IDs as JSON numbers, built as text (no per-element objects) so large
 * samples serialize fast. `extra` fields (already JSON) come first.
 */
export function sampleToJson(o: SamplerOutput, extra: Record<string, string> = {}): string {
  const list = (a: ArrayLike<number | bigint>) => `[${Array.prototype.join.call(a, ',')}]`;
  const fields = [
    ...Object.entries(extra).map(([k, v]) => `${JSON.stringify(k)}:${v}`),
    `"node":${list(o.node)}`,
    `"row":${list(o.row)}`,
    `"col":${list(o.col)}`,
    ...(o.edge ? [`"edge":${list(o.edge)}`] : []),
    ...(o.batch ? [`"batch":${list(o.batch)}`] : []),
    `"num_sampled_nodes":${list(o.numSampledNodes)}`,
    `"num_sampled_edges":${list(o.numSampledEdges)}`,
  ];
  return `{${fields.join(',')}}`;
}

/**
 * A sample as an Arrow IPC stream of one record batch with one row whose columns are lists — the same fields as the
 * JSON form (node Int32, row/col Int32, edge Int64, batch Int32, num_sampled_* Int32) — so the arrays of different
 * lengths travel in one self-describing message, each list's values being the sample's typed array as is.
 * Read it with `tableFromIPC(bytes).get(0)` (apache-arrow) or `pyarrow.ipc.open_stream`.
 */
export function sampleToArrowStream(o: SamplerOutput): Uint8Array {
  const columns: [string, Int32Array | BigInt64Array][] = [
    ['node', o.node],
    ['row', o.row],
    ['col', o.col],
  ];
  if (o.edge) columns.push(['edge', o.edge]);
  if (o.batch) columns.push(['batch', o.batch]);
  columns.push(['num_sampled_nodes', Int32Array.from(o.numSampledNodes)]);
  columns.push(['num_sampled_edges', Int32Array.from(o.numSampledEdges)]);
  const fields: Field[] = [];
  const data = columns.map(([name, values]) => {
    const child = values instanceof BigInt64Array ? int64Data(values) : int32Data(values);
    fields.push(new Field(name, listOf(values instanceof BigInt64Array ? new Int64() : new Int32()), false));
    return listData(Int32Array.of(0, values.length), child);
  });
  return tableToIPC(new Table(recordBatch(fields, data, 1)), 'stream');
}

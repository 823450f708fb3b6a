import { FanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { IdTranslator } from '../ids/index.ts';
import type { HopPartition } from './hop.ts';
import { placeInKernelHeap } from './kernel/place-partition.ts';

/**
 * Loads what a hop function needs of one partition and edge type: its CSC and its rows' original IDs, placed where
 * the sampling kernels can read them unless `kernels` is false (the JavaScript paths then sample it).
 */
export async function loadHopPartition(
  graph: PartitionedGraph,
  part: number,
  etype: string,
  { kernels = true }: { kernels?: boolean } = {},
): Promise<HopPartition> {
  const m = graph.manifest;
  if (!(etype in m.etypes)) throw new FanoutError('NOT_FOUND', `graph ${m.graph_name} has no edge type "${etype}"`);
  const dstType = etype.split(':')[2];
  const [start, end] = m.node_map[dstType][part] ?? [];
  if (start === undefined) throw new FanoutError('INVALID_ARGUMENT', `graph ${m.graph_name} has no partition ${part}`);
  const owned = new Int32Array(end - start);
  for (let i = 0; i < owned.length; i++) owned[i] = start + i;
  const [csc, origIds] = await Promise.all([
    graph.readGraph(part, etype),
    new IdTranslator(graph, dstType).toOriginal(owned),
  ]);
  const halves = new Int32Array(csc.eid.buffer, csc.eid.byteOffset, csc.eid.length * 2);
  const arcs = new Int32Array(2 * csc.nbr.length);
  let wide = false;
  for (let j = 0; j < csc.nbr.length; j++) {
    arcs[2 * j] = csc.nbr[j];
    arcs[2 * j + 1] = halves[2 * j];
    if (halves[2 * j + 1] !== 0 || halves[2 * j] < 0) wide = true;
  }
  const partition: HopPartition = { part, start, end, indptr: csc.indptr, arcs, origIds };
  if (csc.weight) partition.weight = csc.weight;
  // Rows are ordered by edge time when there is one, else by the neighbors' node time (the format's rule).
  const halves64 = (t: BigInt64Array) => new Int32Array(t.buffer, t.byteOffset, 2 * t.length);
  if (csc.time) {
    partition.timeHalves = halves64(csc.time);
    partition.timeColumn = 'time';
    if (csc.nbrTime) partition.nodeTimeHalves = halves64(csc.nbrTime);
  } else if (csc.nbrTime) {
    partition.timeHalves = halves64(csc.nbrTime);
    partition.timeColumn = 'nbr_time';
  }
  if (wide) partition.eidHi = Int32Array.from({ length: csc.nbr.length }, (_, j) => halves[2 * j + 1]);
  if (kernels) placeInKernelHeap(partition);
  return partition;
}

/** Bytes a loaded partition holds, for cache budgets. */
export function hopPartitionBytes(p: HopPartition): number {
  return (
    p.indptr.byteLength +
    p.arcs.byteLength +
    (p.eidHi?.byteLength ?? 0) +
    p.origIds.byteLength +
    (p.weight?.byteLength ?? 0) +
    (p.timeHalves?.byteLength ?? 0) +
    (p.nodeTimeHalves?.byteLength ?? 0)
  );
}

import type { PartCsc } from '../format/index.ts';
import type { DenseFeature, EdgeTypeData } from '../graph/index.ts';

/**
 * The arcs of one edge type in CSC order over internal destination IDs: `indptr` over all destination nodes and
 * `arcs`, the input positions of the arcs row by row. The bucketing is a stable counting sort and input positions are
 * in edge-ID order, so each row is already in the canonical order by original edge ID; time-ordered rows are sorted
 * afterwards, per row.
 */
export interface GlobalCsc {
  indptr: Int32Array;
  arcs: Int32Array;
}

export function sortByDestination(etype: EdgeTypeData, dstInternalOfOrig: Int32Array): GlobalCsc {
  const { dst } = etype.edges;
  const numDst = dstInternalOfOrig.length;
  const indptr = new Int32Array(numDst + 1);
  for (let i = 0; i < dst.length; i++) indptr[dstInternalOfOrig[dst[i]] + 1]++;
  for (let v = 0; v < numDst; v++) indptr[v + 1] += indptr[v];
  const fill = indptr.slice(0, numDst);
  const arcs = new Int32Array(dst.length);
  for (let i = 0; i < dst.length; i++) arcs[fill[dstInternalOfOrig[dst[i]]]++] = i;
  return { indptr, arcs };
}

export interface PartArcs {
  csc: PartCsc;
  /** Edge features of the partition's arcs, in CSC order. */
  features: Map<string, DenseFeature>;
}

/**
 * One partition's CSC for rows [start, end): neighbors as internal IDs, original edge IDs, and the optional columns,
 * gathered from the input arrays. Int64 columns are written through their 32-bit halves, so no BigInt is made per arc.
 */
export function extractPart(
  etype: EdgeTypeData,
  global: GlobalCsc,
  [start, end]: [number, number],
  srcInternalOfOrig: Int32Array,
  srcNodeTime: BigInt64Array | undefined,
): PartArcs {
  const { edges } = etype;
  const a = global.indptr[start];
  const b = global.indptr[end];
  const arcs = global.arcs.slice(a, b);
  const indptr = new Int32Array(end - start + 1);
  for (let r = 0; r <= end - start; r++) indptr[r] = global.indptr[start + r] - a;
  const edgeTime = edges.time;
  const rowTime = edgeTime ? (arc: number) => edgeTime[arc] : srcNodeTime ? (arc: number) => srcNodeTime[edges.src[arc]] : undefined;
  if (rowTime) sortRowsByTime(arcs, indptr, rowTime, edges.eid);

  const count = b - a;
  const nbr = new Int32Array(count);
  const eid = new BigInt64Array(count);
  const eidHalves = new Int32Array(eid.buffer);
  for (let j = 0; j < count; j++) {
    const arc = arcs[j];
    nbr[j] = srcInternalOfOrig[edges.src[arc]];
    eidHalves[2 * j] = edges.eid ? edges.eid[arc] : arc; // an ID ≥ 2^31 keeps its bits in the low half; the high half is 0
  }
  const csc: PartCsc = { indptr, nbr, eid };
  if (edges.weight) csc.weight = gather(edges.weight, arcs, new Float32Array(count));
  if (edges.time) csc.time = gather(edges.time, arcs, new BigInt64Array(count));
  if (srcNodeTime) {
    csc.nbrTime = new BigInt64Array(count);
    for (let j = 0; j < count; j++) csc.nbrTime[j] = srcNodeTime[edges.src[arcs[j]]];
  }
  const features = new Map<string, DenseFeature>();
  for (const [name, f] of edges.features) {
    const data = new Float32Array(count * f.dim);
    for (let j = 0; j < count; j++) data.set(f.data.subarray(arcs[j] * f.dim, (arcs[j] + 1) * f.dim), j * f.dim);
    features.set(name, { dim: f.dim, data });
  }
  return { csc, features };
}

function gather<T extends Float32Array | BigInt64Array>(from: T, index: Int32Array, to: T): T {
  for (let j = 0; j < index.length; j++) to[j] = from[index[j]];
  return to;
}

/** Each row by (time, original edge ID): the canonical neighbor order when a time column exists. */
function sortRowsByTime(arcs: Int32Array, indptr: Int32Array, timeOf: (arc: number) => bigint, eid: Uint32Array | undefined): void {
  const idOf = eid ? (arc: number) => eid[arc] : (arc: number) => arc;
  for (let r = 0; r + 1 < indptr.length; r++) {
    if (indptr[r + 1] - indptr[r] < 2) continue;
    arcs.subarray(indptr[r], indptr[r + 1]).sort((x, y) => {
      const tx = timeOf(x);
      const ty = timeOf(y);
      return tx < ty ? -1 : tx > ty ? 1 : idOf(x) - idOf(y);
    });
  }
}

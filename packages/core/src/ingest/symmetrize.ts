import { FanoutError } from '../errors/index.ts';
import type { DenseFeature, EdgeList } from '../graph/index.ts';

/**
 * Adds the reverse of every input edge, per DESIGN.md: input edge i keeps ID i, its reverse arc gets M + i; a
 * self-loop is not doubled; an arc that already exists is not added twice (the lower original edge ID is kept).
 * The result is in edge-ID order and carries explicit IDs; weights, times and features of a reverse arc are its
 * input edge's.
 *
 * Duplicates are found without sorting: candidates are bucketed by destination (a stable counting sort, so each
 * bucket is in ID order), then one pass per bucket stamps each source; a source already stamped for this bucket is a
 * duplicate of a lower ID.
 */
export function symmetrize(edges: EdgeList, numNodes: number): EdgeList {
  const { src, dst } = edges;
  const m = src.length;
  if (2 * m > 0x7fffffff)
    throw new FanoutError('LIMIT_EXCEEDED', `cannot symmetrize ${m} edges: more than 2^31 - 1 arcs`);
  // Candidate c < m is input edge c; candidate m + i is the reverse of edge i.
  const candSrc = (c: number) => (c < m ? src[c] : dst[c - m]);
  const candDst = (c: number) => (c < m ? dst[c] : src[c - m]);

  const start = new Int32Array(numNodes + 1);
  for (let i = 0; i < m; i++) {
    start[dst[i] + 1]++;
    if (src[i] !== dst[i]) start[src[i] + 1]++;
  }
  for (let v = 0; v < numNodes; v++) start[v + 1] += start[v];
  const byDst = new Int32Array(start[numNodes]);
  const fill = start.slice(0, numNodes);
  for (let c = 0; c < 2 * m; c++) {
    if (c >= m && src[c - m] === dst[c - m]) continue; // self-loop: no reverse arc
    byDst[fill[candDst(c)]++] = c;
  }

  const keep = new Uint8Array(2 * m);
  const stamp = new Int32Array(numNodes).fill(-1);
  let kept = 0;
  for (let v = 0; v < numNodes; v++) {
    for (let j = start[v]; j < start[v + 1]; j++) {
      const c = byDst[j];
      const u = candSrc(c);
      if (stamp[u] !== v) {
        stamp[u] = v;
        keep[c] = 1;
        kept++;
      }
    }
  }

  const out: EdgeList = {
    src: new Int32Array(kept),
    dst: new Int32Array(kept),
    eid: new Uint32Array(kept),
    features: new Map(),
  };
  if (edges.weight) out.weight = new Float32Array(kept);
  if (edges.time) out.time = new BigInt64Array(kept);
  const features = [...edges.features].map(([name, f]): [string, DenseFeature, DenseFeature] => [
    name,
    f,
    { dim: f.dim, data: new Float32Array(kept * f.dim) },
  ]);
  let k = 0;
  for (let c = 0; c < 2 * m; c++) {
    if (!keep[c]) continue;
    const input = c < m ? c : c - m;
    out.src[k] = candSrc(c);
    out.dst[k] = candDst(c);
    out.eid![k] = edges.eid ? (c < m ? edges.eid[input] : m + edges.eid[input]) : c;
    if (out.weight) out.weight[k] = edges.weight![input];
    if (out.time) out.time[k] = edges.time![input];
    for (const [, from, to] of features)
      to.data.set(from.data.subarray(input * from.dim, (input + 1) * from.dim), k * from.dim);
    k++;
  }
  for (const [name, , to] of features) out.features.set(name, to);
  return out;
}

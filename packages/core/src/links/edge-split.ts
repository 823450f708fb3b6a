import { FanoutError } from '../errors/index.ts';
import type { GraphData } from '../graph/index.ts';
import { Xoshiro128 } from '../random/index.ts';

export interface LinkPairs {
  src: Int32Array;
  dst: Int32Array;
}

export interface EdgeSplit {
  /** The graph with the validation and test links removed from its structure (both directions). */
  train: GraphData;
  /** The links left in the structure, once each (the training positives). */
  trainLinks: LinkPairs;
  val: LinkPairs;
  test: LinkPairs;
}

/**
 * PyG's RandomLinkSplit for a homogeneous graph treated as undirected: the distinct node pairs {u, v} (u ≠ v) are
 * shuffled with the seed, the first `val` and `test` fractions held out, and every arc between a held-out pair removed
 * from the training structure, in both directions, so a model cannot see the links it is tested on.
 */
export function splitEdges(graph: GraphData, options: { val: number; test: number; seed: number }): EdgeSplit {
  if (graph.ntypes.length !== 1 || graph.etypes.length !== 1) {
    throw new FanoutError('INVALID_ARGUMENT', 'edge splits take a homogeneous graph');
  }
  const { val, test } = options;
  if (!(val >= 0 && test >= 0 && val + test < 1)) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `val and test fractions must be ≥ 0 and sum below 1, got ${val} and ${test}`,
    );
  }
  const etype = graph.etypes[0];
  const { src, dst } = etype.edges;
  const n = graph.ntypes[0].numNodes;
  // Distinct undirected pairs, as u * n + v with u < v (exact below 2^53: n up to ~94M).
  const keys = new Float64Array(src.length);
  let count = 0;
  for (let e = 0; e < src.length; e++) {
    if (src[e] === dst[e]) continue;
    const [u, v] = src[e] < dst[e] ? [src[e], dst[e]] : [dst[e], src[e]];
    keys[count++] = u * n + v;
  }
  const pairs = keys.subarray(0, count).sort();
  let distinct = 0;
  for (let i = 0; i < count; i++) if (i === 0 || pairs[i] !== pairs[i - 1]) pairs[distinct++] = pairs[i];
  const order = Float64Array.from(pairs.subarray(0, distinct));
  new Xoshiro128(options.seed, 'links/edge-split').shuffle(order);
  const numVal = Math.floor(val * distinct);
  const numTest = Math.floor(test * distinct);
  const toPairs = (slice: Float64Array): LinkPairs => ({
    src: Int32Array.from(slice, (k) => Math.floor(k / n)),
    dst: Int32Array.from(slice, (k) => k % n),
  });
  const heldOut = new Set<number>(order.subarray(0, numVal + numTest));
  const keep = new Uint8Array(src.length);
  let kept = 0;
  for (let e = 0; e < src.length; e++) {
    const [u, v] = src[e] < dst[e] ? [src[e], dst[e]] : [dst[e], src[e]];
    if (!heldOut.has(u * n + v)) {
      keep[e] = 1;
      kept++;
    }
  }
  const pick = <T extends Int32Array | Uint32Array | Float32Array | BigInt64Array>(a: T): T => {
    const out = new (a.constructor as new (length: number) => T)(kept);
    for (let e = 0, k = 0; e < src.length; e++) if (keep[e]) out[k++] = a[e];
    return out;
  };
  const edges = etype.edges;
  const trainEdges = {
    src: pick(edges.src),
    dst: pick(edges.dst),
    eid: edges.eid ? pick(edges.eid) : undefined,
    weight: edges.weight ? pick(edges.weight) : undefined,
    time: edges.time ? pick(edges.time) : undefined,
    features: new Map(
      [...edges.features].map(([name, f]) => {
        const data = new Float32Array(kept * f.dim);
        for (let e = 0, k = 0; e < src.length; e++) {
          if (keep[e]) data.set(f.data.subarray(e * f.dim, (e + 1) * f.dim), f.dim * k++);
        }
        return [name, { dim: f.dim, data }];
      }),
    ),
  };
  return {
    train: { ...graph, etypes: [{ ...etype, edges: trainEdges }] },
    trainLinks: toPairs(order.subarray(numVal + numTest)),
    val: toPairs(order.subarray(0, numVal)),
    test: toPairs(order.subarray(numVal, numVal + numTest)),
  };
}

/**
 * A sampled subgraph in PyG's SamplerOutput layout and canonical order (DESIGN.md):
 * - `node`: the seeds in the given order, then newly found nodes hop by hop, in the order their first edge appears;
 * - edges hop by hop, then by destination position, then in the per-row neighbor order, as `row` (index of the
 *   neighbor in `node`), `col` (index of the destination) and `edge` (original edge ID);
 * - `batch` (disjoint only): the seed index each node belongs to;
 * - `numSampledNodes` (length hops + 1, seeds first) and `numSampledEdges` (length hops).
 */
export interface SamplerOutput {
  /** Original node IDs. */
  node: Int32Array;
  /** The same nodes as internal IDs (what feature stores and partitions index). */
  internalNode: Int32Array;
  row: Int32Array;
  col: Int32Array;
  /** Original edge IDs (absent when sampled with return_edge_id: false). */
  edge?: BigInt64Array;
  batch?: Int32Array;
  numSampledNodes: number[];
  numSampledEdges: number[];
  /** What the sample cost. */
  stats: SampleStats;
}

export interface SampleStats {
  /** Function invocations made (retries and hedges included; requests that shared a call share one). */
  invocations: number;
  /** Hop requests sent to functions (partitions sampled in the coordinator's thread send none). */
  requests: number;
  /** Distinct partitions sampled, in any hop. */
  partitions: number;
  /** Request and response frame bytes of those invocations. */
  bytesSent: number;
  bytesReceived: number;
}

/**
 * A sample of a heterogeneous graph in PyG's HeteroSamplerOutput layout: the same fields per node type (`node`,
 * `batch`, `numSampledNodes`) and per canonical edge type (`row` indexing the source type's `node`, `col` the
 * destination type's, `edge`, `numSampledEdges`). Within each type, the canonical order of SamplerOutput, with the
 * edge types of a hop taken in the manifest's order (DESIGN.md).
 */
export interface HeteroSamplerOutput {
  node: Record<string, Int32Array>;
  internalNode: Record<string, Int32Array>;
  row: Record<string, Int32Array>;
  col: Record<string, Int32Array>;
  edge?: Record<string, BigInt64Array>;
  batch?: Record<string, Int32Array>;
  numSampledNodes: Record<string, number[]>;
  numSampledEdges: Record<string, number[]>;
  stats: SampleStats;
}

/**
 * One message-passing layer's view of a sample (a DGL-style block / message flow graph): its edges go from
 * `row` (< numSrcNodes) to `col` (< numDstNodes), both indexing a prefix of the sample's `node`.
 */
export interface Block {
  numSrcNodes: number;
  numDstNodes: number;
  row: Int32Array;
  col: Int32Array;
}

/**
 * Blocks for an L-layer model by PyG's `trim_to_layer` rule: layer l (1-based) sees the edges of hops 1..L−l+1, its
 * sources are the nodes of hops 0..L−l+1 and its destinations those of hops 0..L−l. (Splitting per hop instead would
 * leave the seeds without in-edges in the first layer.) Blocks are prefixes of the output arrays: no copies.
 */
export function toBlocks(out: SamplerOutput, numLayers = out.numSampledEdges.length): Block[] {
  const hops = out.numSampledEdges.length;
  if (!Number.isInteger(numLayers) || numLayers < 1 || numLayers > hops) {
    throw new RangeError(`a sample of ${hops} hops feeds 1..${hops} layers, not ${numLayers}`);
  }
  const nodePrefix = prefixSums(out.numSampledNodes);
  const edgePrefix = prefixSums(out.numSampledEdges);
  const blocks: Block[] = [];
  for (let l = 1; l <= numLayers; l++) {
    const lastHop = numLayers - l + 1;
    const edges = edgePrefix[lastHop];
    blocks.push({
      numSrcNodes: nodePrefix[lastHop + 1],
      numDstNodes: nodePrefix[lastHop],
      row: out.row.subarray(0, edges),
      col: out.col.subarray(0, edges),
    });
  }
  return blocks;
}

/** [0, a0, a0 + a1, …] */
function prefixSums(values: number[]): number[] {
  const out = [0];
  for (const v of values) out.push(out[out.length - 1] + v);
  return out;
}

/**
 * A whole graph in memory, as ingest produces it and the partitioner consumes it: plain typed arrays, indexed by
 * original node ID (node data) or by arc position (edge data). Types are first-class; a homogeneous graph has one
 * node type and one edge type.
 */

/** Row-major dense features: row i is data[i*dim, (i+1)*dim). */
export interface DenseFeature {
  dim: number;
  data: Float32Array;
}

/** DGL's names for the single node and edge type of a homogeneous graph (format v1 uses the same). */
export const HOMOGENEOUS_NTYPE = '_N';
export const HOMOGENEOUS_ETYPE = '_N:_E:_N';

export const MASK_NAMES = ['train_mask', 'val_mask', 'test_mask'] as const;
export type MaskName = (typeof MASK_NAMES)[number];

export interface NodeTypeData {
  name: string;
  numNodes: number;
  features: Map<string, DenseFeature>;
  /** Class per node; -1 = unlabelled. */
  label?: Int32Array;
  /** 1 where the node belongs to the split. */
  masks: Partial<Record<MaskName, Uint8Array>>;
  /** Node time, copied per arc into `nbr_time` for temporal sampling. */
  time?: BigInt64Array;
}

/** Arcs src → dst; sampling follows in-edges, so the partition owning dst stores the arc. */
export interface EdgeList {
  src: Int32Array;
  dst: Int32Array;
  /** Original edge ID per arc; absent means the arc's position is its ID. */
  eid?: Uint32Array;
  /** Sampling weight per arc (≥ 0, finite). */
  weight?: Float32Array;
  /** Edge time per arc. */
  time?: BigInt64Array;
  /** Edge features per arc. */
  features: Map<string, DenseFeature>;
}

export interface EdgeTypeData {
  /** Canonical `src:relation:dst`. */
  name: string;
  srcType: string;
  dstType: string;
  edges: EdgeList;
  /** M, the number of input edges: a reverse arc added by symmetrization has ID M + i. */
  numInputEdges: number;
}

export interface GraphData {
  name: string;
  ntypes: NodeTypeData[];
  etypes: EdgeTypeData[];
  /** True when the stored arcs were symmetrized from an undirected input. */
  undirected: boolean;
}

export function edgeIdOf(edges: EdgeList, arc: number): number {
  return edges.eid ? edges.eid[arc] : arc;
}

/** The one-type graph of a homogeneous input: node type `_N`, edge type `_N:_E:_N`, edge IDs = input positions. */
export function homogeneousGraph(name: string, node: Omit<NodeTypeData, 'name'>, edges: EdgeList): GraphData {
  return {
    name,
    undirected: false,
    ntypes: [{ name: HOMOGENEOUS_NTYPE, ...node }],
    etypes: [
      {
        name: HOMOGENEOUS_ETYPE,
        srcType: HOMOGENEOUS_NTYPE,
        dstType: HOMOGENEOUS_NTYPE,
        edges,
        numInputEdges: edges.src.length,
      },
    ],
  };
}

import type { GraphData } from '../graph/index.ts';
import type { ProgressListener } from '../progress/index.ts';
import { Xoshiro128 } from '../random/index.ts';

export type BalanceBy = 'nodes' | 'edges' | 'train';

export interface AssignOptions {
  numParts: number;
  seed: number;
  balance: BalanceBy;
  /** Largest allowed part weight over the average (METIS's ubvec), for methods that optimize a cut. */
  imbalance?: number;
  onProgress?: ProgressListener;
}

/** Partition of every node, per node type (indexed by original ID). */
export type Assignment = Map<string, Int32Array>;

/**
 * A partitioning method: assigns every node of every type to a partition. The quality partitioner plugs in here.
 */
export type Assigner = (graph: GraphData, options: AssignOptions) => Assignment;

/**
 * In-degree of every node of each type, summed over the edge types that end there (the arcs a node's owner stores),
 * or over one edge type only.
 */
export function inDegrees(graph: GraphData, onlyEtype?: string): Map<string, Int32Array> {
  const degrees = new Map(graph.ntypes.map((t) => [t.name, new Int32Array(t.numNodes)]));
  for (const etype of graph.etypes) {
    if (onlyEtype !== undefined && etype.name !== onlyEtype) continue;
    const deg = degrees.get(etype.dstType)!;
    const { dst } = etype.edges;
    for (let i = 0; i < dst.length; i++) deg[dst[i]]++;
  }
  return degrees;
}

/**
 * Random partitioning, exactly balanced: a seeded shuffle of each type's nodes cut into `numParts` runs of equal node
 * count (`nodes`), of equal stored arcs (`edges`), or of equal counts of training and other nodes (`train`).
 */
export const randomAssigner: Assigner = (graph, { numParts, seed, balance }) => {
  const degrees = balance === 'edges' ? inDegrees(graph) : undefined;
  const assignment: Assignment = new Map();
  const rng = new Xoshiro128(seed, 'partition/random');
  for (const ntype of graph.ntypes) {
    const n = ntype.numNodes;
    const partOf = new Int32Array(n);
    const deg = degrees?.get(ntype.name);
    let total = 0;
    if (deg) for (let i = 0; i < n; i++) total += deg[i];
    // With `train`, training nodes and the others are dealt out separately, so both are balanced.
    const train = balance === 'train' ? ntype.masks.train_mask : undefined;
    for (const stratum of train ? [1, 0] : [-1]) {
      const members = Int32Array.from({ length: n }, (_, v) => v).filter((v) => stratum < 0 || train![v] === stratum);
      rng.shuffle(members);
      const m = members.length;
      if (deg && total > 0) {
        let acc = 0;
        for (let i = 0; i < m; i++) {
          const v = members[i];
          // The part whose share of arcs this node's arcs start in; balanced to within one node's degree.
          partOf[v] = Math.min(numParts - 1, Math.floor((acc * numParts) / total));
          acc += deg[v];
        }
      } else {
        for (let i = 0; i < m; i++) partOf[members[i]] = Math.floor((i * numParts) / m);
      }
    }
    assignment.set(ntype.name, partOf);
  }
  return assignment;
};

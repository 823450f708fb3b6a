import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionedGraph } from '../format/index.ts';
import { type EdgeList, type GraphData, homogeneousGraph } from '../graph/index.ts';
import { partitionGraph } from '../partition/index.ts';
import { LocalStore } from '../storage/index.ts';

/** A homogeneous graph from arcs src[i] → dst[i] (edge ID i), with weight[i] and time[i] when given. */
export function graphFromArcs(
  src: number[],
  dst: number[],
  numNodes: number,
  name = 'small',
  columns: { weight?: number[]; time?: number[] } = {},
): GraphData {
  const edges: EdgeList = { src: Int32Array.from(src), dst: Int32Array.from(dst), features: new Map() };
  if (columns.weight) edges.weight = Float32Array.from(columns.weight);
  if (columns.time) edges.time = BigInt64Array.from(columns.time, (t) => BigInt(t));
  return homogeneousGraph(name, { numNodes, features: new Map(), masks: {} }, edges);
}

/**
 * `count` arcs between uniformly random nodes of [0, numNodes), from a seeded LCG (source, then destination, arc by
 * arc); `next` continues the same sequence.
 */
export function randomArcs(count: number, numNodes: number, seed: number) {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < count; i++) {
    src.push(next() % numNodes);
    dst.push(next() % numNodes);
  }
  return { src, dst, next };
}

/** Partitions a graph into a fresh temporary directory and opens it. */
export async function partitioned(graph: GraphData, numParts: number, seed = 0): Promise<PartitionedGraph> {
  const dir = await mkdtemp(join(tmpdir(), `fanout-${graph.name}-`));
  await partitionGraph(graph, new LocalStore(dir), { numParts, seed, rowsPerBatch: 1000 });
  return PartitionedGraph.open(dir);
}

/** A typed graph from arcs per canonical edge type (`src:rel:dst` → [src IDs, dst IDs]; edge ID = position). */
export function typedGraphFromArcs(
  ntypes: Record<string, number>,
  etypes: Record<string, [number[], number[]]>,
  name = 'typed',
): GraphData {
  return {
    name,
    undirected: false,
    ntypes: Object.entries(ntypes).map(([type, numNodes]) => ({
      name: type,
      numNodes,
      features: new Map(),
      masks: {},
    })),
    etypes: Object.entries(etypes).map(([etype, [src, dst]]) => {
      const [srcType, , dstType] = etype.split(':');
      return {
        name: etype,
        srcType,
        dstType,
        numInputEdges: src.length,
        edges: { src: Int32Array.from(src), dst: Int32Array.from(dst), features: new Map() },
      };
    }),
  };
}

/**
 * A hand-built typed graph of 3 authors and 4 papers:
 *   writes:     a0 → p0 (e0)   a1 → p0 (e1)   a1 → p1 (e2)   a2 → p2 (e3)
 *   cites:      p1 → p0 (e0)   p2 → p1 (e1)   p3 → p1 (e2)
 *   written_by: p0 → a0 (e0)   p0 → a1 (e1)   p1 → a1 (e2)   p2 → a2 (e3)
 */
export function academicGraph(name = 'academic'): GraphData {
  return typedGraphFromArcs(
    { author: 3, paper: 4 },
    {
      'author:writes:paper': [
        [0, 1, 1, 2],
        [0, 0, 1, 2],
      ],
      'paper:cites:paper': [
        [1, 2, 3],
        [0, 1, 1],
      ],
      'paper:written_by:author': [
        [0, 0, 1, 2],
        [0, 1, 1, 2],
      ],
    },
    name,
  );
}

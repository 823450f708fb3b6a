import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionedGraph } from '../format/index.ts';
import { type EdgeList, type GraphData, homogeneousGraph } from '../graph/index.ts';
import { partitionGraph } from '../partition/index.ts';
import { LocalStore } from '../storage/index.ts';

/** A homogeneous graph from arcs src[i] → dst[i] (edge ID i), with weight[i] when given. */
export function graphFromArcs(
  src: number[],
  dst: number[],
  numNodes: number,
  name = 'small',
  weight?: number[],
): GraphData {
  const edges: EdgeList = { src: Int32Array.from(src), dst: Int32Array.from(dst), features: new Map() };
  if (weight) edges.weight = Float32Array.from(weight);
  return homogeneousGraph(name, { numNodes, features: new Map(), masks: {} }, edges);
}

/** Partitions a graph into a fresh temporary directory and opens it. */
export async function partitioned(graph: GraphData, numParts: number, seed = 0): Promise<PartitionedGraph> {
  const dir = await mkdtemp(join(tmpdir(), `fanout-${graph.name}-`));
  await partitionGraph(graph, new LocalStore(dir), { numParts, seed, rowsPerBatch: 1000 });
  return PartitionedGraph.open(dir);
}

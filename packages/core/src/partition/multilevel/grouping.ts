import type { WeightedGraph } from './weighted-graph.ts';
import type { Workspace } from './workspace.ts';

/**
 * Nodes merged into `count` groups (a coarse level's nodes), numbered in order of their first member: `groupOf[v]`
 * is v's group. `order` lists the nodes group by group, and within a group as coarsening met them: by increasing
 * node for one level, and across levels by the coarse nodes in between (each one's members in turn). Contraction
 * merges rows in that order, so it fixes the order of the merged rows, which matching's ties depend on.
 */
export interface Grouping {
  count: number;
  groupOf: Int32Array;
  order: Int32Array;
}

/** Groups from cluster labels (any label below the node count): numbered by first member, members in order. */
export function groupNodes(cluster: Int32Array, ws: Workspace): Grouping {
  const n = cluster.length;
  const dense = ws.take(Int32Array, n).fill(-1);
  const groupOf = ws.take(Int32Array, n);
  let count = 0;
  for (let v = 0; v < n; v++) {
    const c = cluster[v];
    if (dense[c] < 0) dense[c] = count++;
    groupOf[v] = dense[c];
  }
  ws.give(dense);
  const order = ws.take(Int32Array, n);
  for (let v = 0; v < n; v++) order[v] = v;
  return regroup(order, groupOf, count, ws);
}

/** Sorts `order` by group, stably (a counting sort), and returns the grouping; `order` is taken over. */
function regroup(order: Int32Array, groupOf: Int32Array, count: number, ws: Workspace): Grouping {
  const next = ws.take(Int32Array, count + 1);
  for (let i = 0; i < order.length; i++) next[groupOf[order[i]] + 1]++;
  for (let c = 0; c < count; c++) next[c + 1] += next[c];
  const sorted = ws.take(Int32Array, order.length);
  for (let i = 0; i < order.length; i++) sorted[next[groupOf[order[i]]]++] = order[i];
  ws.give(next, order);
  return { count, groupOf, order: sorted };
}

/** The groups of the finest nodes in level `maps.length`, through every level's map; none for the finest level. */
export function finestGrouping(maps: Int32Array[], ws: Workspace): Grouping | undefined {
  if (maps.length === 0) return undefined;
  let grouping = groupNodes(maps[0], ws);
  for (const coarseOf of maps.slice(1)) {
    // Each finest node's group in the next level; members stay in the order they had, group by group.
    const n = grouping.groupOf.length;
    const groupOf = ws.take(Int32Array, n);
    let count = 0;
    for (let v = 0; v < n; v++) {
      groupOf[v] = coarseOf[grouping.groupOf[v]];
      count = Math.max(count, groupOf[v] + 1);
    }
    const next = regroup(ws.copy(Int32Array, grouping.order), groupOf, count, ws);
    releaseGrouping(ws, grouping);
    grouping = next;
  }
  return grouping;
}

/** Gives a grouping's arrays back to the workspace. */
export function releaseGrouping(ws: Workspace, grouping: Grouping): void {
  ws.give(grouping.groupOf, grouping.order);
}

/** Each group's node weights: the sums over its members, per constraint. */
export function groupWeights(g: WeightedGraph, coarseOf: Int32Array, count: number, ws: Workspace): Int32Array {
  const { n, constraints, nodeWeight } = g;
  const weights = ws.take(Int32Array, count * constraints);
  for (let v = 0; v < n; v++)
    for (let i = 0; i < constraints; i++) weights[coarseOf[v] * constraints + i] += nodeWeight[v * constraints + i];
  return weights;
}

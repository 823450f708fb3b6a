import type { Balance } from './balance.ts';
import { fm } from './bisect.ts';
import { GainHeap } from './gain-heap.ts';
import { Subgraphs, type WeightedGraph } from './weighted-graph.ts';
import { Workspace } from './workspace.ts';

/**
 * Pairwise FM on the quotient graph (as KaFFPa refines k-way partitions): for the `maxPairs` pairs of parts joined by
 * the most cut weight, 2-way FM on the subgraph of their nodes, each part within its limit. FM's rollback to
 * the best point lets it climb out of minima that greedy boundary moves cannot leave.
 */
export function pairwiseFm(
  g: WeightedGraph,
  part: Int32Array,
  balance: Balance,
  maxPairs: number,
  ws = new Workspace(),
): void {
  const k = balance.k;
  const c = g.constraints;
  const between = new Int32Array(k * k);
  for (let v = 0; v < g.n; v++) {
    for (let j = g.indptr[v]; j < g.indptr[v + 1]; j++) {
      const q = part[g.adj[j]];
      if (q !== part[v]) between[part[v] * k + q] += g.adjWeight[j];
    }
  }
  const pairs: [number, number, number][] = [];
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) if (between[a * k + b] > 0) pairs.push([between[a * k + b], a, b]);
  pairs.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
  const heap = new GainHeap();
  const subgraphs = new Subgraphs(ws);
  const limit = new Float64Array(2 * c);
  for (let i = 0; i < c; i++) limit[i] = limit[c + i] = balance.limits[i];
  for (const [, a, b] of pairs.slice(0, maxPairs)) {
    let count = 0;
    for (let v = 0; v < g.n; v++) if (part[v] === a || part[v] === b) count++;
    const nodes = ws.take(Int32Array, count);
    const side = ws.take(Uint8Array, count);
    count = 0;
    for (let v = 0; v < g.n; v++) {
      if (part[v] === b) side[count] = 1;
      if (part[v] === a || part[v] === b) nodes[count++] = v;
    }
    const sub = subgraphs.of(g, nodes);
    // The pair's weights outside this subgraph are zero, so FM's own per-side totals are the parts' weights.
    fm(sub, side, limit, heap);
    for (let i = 0; i < count; i++) part[nodes[i]] = side[i] === 0 ? a : b;
    ws.give(nodes, side);
  }
  subgraphs.release();
  balance.assign(part);
}

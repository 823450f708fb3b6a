import type { Xoshiro128 } from '../../random/index.ts';
import { Balance } from './balance.ts';
import { bisect } from './bisect.ts';
import { rebalance, refine } from './refine.ts';
import { Subgraphs, type WeightedGraph } from './weighted-graph.ts';
import { Workspace } from './workspace.ts';

/**
 * A k-way partition of the coarsest graph by recursive bisection, as METIS makes its initial partitions: split in
 * proportion ⌊k/2⌋ : ⌈k/2⌉ (best of `tries` grown-and-FM-refined bisections), recurse into each side, then rebalance
 * and refine the k-way result.
 */
export function initialPartition(
  g: WeightedGraph,
  k: number,
  imbalance: number,
  rng: Xoshiro128,
  tries = 8,
  ws = new Workspace(),
): Int32Array {
  const part = ws.take(Int32Array, g.n);
  const subgraphs = new Subgraphs(ws);
  // The tolerance compounds over the recursion's depth; the k-way pass afterwards restores the exact limit.
  const perLevel = 1 + (imbalance - 1) / Math.max(1, Math.ceil(Math.log2(k)));
  // The first split shapes everything below it, so it gets the most tries; deeper splits get fewer.
  const split = (nodes: Int32Array, parts: number, first: number, depth: number) => {
    if (parts === 1 || nodes.length === 0) {
      for (const v of nodes) part[v] = first;
      return;
    }
    const left = Math.floor(parts / 2);
    const side = bisect(subgraphs.of(g, nodes), left / parts, perLevel, rng, Math.max(4, tries >> depth));
    split(
      nodes.filter((_, i) => side[i] === 0),
      left,
      first,
      depth + 1,
    );
    split(
      nodes.filter((_, i) => side[i] === 1),
      parts - left,
      first + left,
      depth + 1,
    );
  };
  split(
    Int32Array.from({ length: g.n }, (_, v) => v),
    k,
    0,
    0,
  );
  subgraphs.release();
  const balance = new Balance(g, k, imbalance, part);
  if (balance.worstLoad() > 1) rebalance(g, part, balance, rng, ws);
  refine(g, part, balance, rng, ws);
  return part;
}

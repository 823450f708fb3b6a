import { FanoutError } from '../../errors/index.ts';
import type { GraphData } from '../../graph/index.ts';
import { Xoshiro128 } from '../../random/index.ts';
import type { Assigner, AssignOptions } from '../assignment.ts';
import { inDegrees } from '../assignment.ts';
import { Balance } from './balance.ts';
import { type Coarsened, clusterCoarsen, coarsen, contract } from './coarsen.ts';
import { initialPartition } from './initial.ts';
import { pairwiseFm } from './pairwise.ts';
import { rebalance, refine } from './refine.ts';
import { release, totalWeights, typeOffsets, undirectedStructure, type WeightedGraph } from './weighted-graph.ts';
import { Workspace } from './workspace.ts';

/**
 * Coarsening stops near this many nodes per part, with coarse nodes up to 1.5× the average weight there (METIS's
 * 1.5 · total / CoarsenTo). On ego-Twitter, 60 per part with the 1.5 factor cut less than Mt-KaHyPar's 160 per part
 * (medians of three seeds: 6.93 / 16.6 / 27.0 % against 7.3 / 17.0 / 28.2 % at 4 / 16 / 64 parts) and leave a
 * coarsest graph a third the size for the initial partitioning's many tries: 0.3–0.9 s less at 16 and 64 parts.
 * METIS's own stopping size (n / (20 log2 k) nodes at least) cut more here: 8.2–8.9 % at 4 parts.
 */
const NODES_PER_PART_AT_COARSEST = 60;
const MAX_NODE_WEIGHT_FACTOR = 1.5;
/** A matching level that keeps more than this share of the edges has stalled (ego-Twitter's levels keep 62–77 %). */
const STALLED_EDGE_RATIO = 0.85;
/**
 * Levels up to this size also get pairwise FM (2k pairs at most): on ego-Twitter it takes the 4-part cut from 7.72 %
 * to 7.50 % for 0.1 s; on the finest, largest levels it would cost far more than it gains.
 */
const PAIRWISE_MAX_NODES = 20_000;
/** Bisections tried for the first split of the coarsest graph (halved at each deeper split, at least 4). */
const INITIAL_TRIES = 16;

/**
 * Multilevel k-way partitioning in METIS's scheme, on the symmetrized structure of all edge types: coarsen by
 * heavy-edge matching (with 2-hop matching for power-law leaves), partition the coarsest graph by recursive bisection
 * (greedy growing + FM, best of several tries), then project back level by level with balanced greedy boundary
 * refinement and, on the smaller levels, pairwise FM between parts. Deterministic for a seed: every random order comes from one seeded stream and all work is sequential.
 */
export const multilevelAssigner: Assigner = (graph, options) => {
  const { numParts: k, seed } = options;
  const imbalance = options.imbalance ?? 1.03;
  if (!(imbalance >= 1)) throw new FanoutError('INVALID_ARGUMENT', `--imbalance must be at least 1, got ${imbalance}`);
  const rng = new Xoshiro128(seed, 'partition/multilevel');
  const progress = options.onProgress ?? (() => {});
  const { weights, constraints } = nodeWeights(graph, options);
  progress({ stage: 'structure', done: 0, total: 1 });
  // Every large array comes from one workspace and goes back to it when done with, so later stages reuse the memory.
  const ws = new Workspace();
  const finest = () => undirectedStructure(graph, weights, constraints, ws);
  const levels: WeightedGraph[] = [finest()];
  const maps: Int32Array[] = [];
  // Node weights of level 0 are the caller's; a coarse level's came from the workspace, as its structure did.
  const giveBack = (level: number) => {
    release(ws, levels[level]);
    if (level > 0) ws.give(levels[level].nodeWeight);
  };
  progress({ stage: 'structure', done: 1, total: 1 });

  const limit = Math.max(NODES_PER_PART_AT_COARSEST * k, 2 * k);
  const maxNodeWeight = Math.max(1, (MAX_NODE_WEIGHT_FACTOR * totalWeights(levels[0])[0]) / limit);
  let matchingStalls = false;
  // Levels 0 … released - 1 have been given back to the workspace, to be rebuilt for refinement (see below).
  let released = 0;
  while (levels[levels.length - 1].n > limit && k > 1) {
    const finer = levels[levels.length - 1];
    progress({ stage: 'coarsen', done: levels.length - 1, total: 0 });
    // Matching while it also sheds edges; clusters once it stops doing so on a large level, where keeping level
    // after level of full adjacency would cost memory (a random 60M-arc graph: 8.8 GB with matching alone).
    const useClusters = matchingStalls && finer.n > 8 * limit;
    const next: Coarsened = useClusters
      ? clusterCoarsen(finer, maxNodeWeight, rng, ws)
      : coarsen(finer, maxNodeWeight, rng, ws);
    const { coarse, coarseOf } = next;
    if (coarse.n > 0.95 * finer.n) {
      release(ws, coarse);
      ws.give(coarse.nodeWeight, coarseOf);
      break;
    }
    const finerStalled = matchingStalls;
    matchingStalls = coarse.adj.length > STALLED_EDGE_RATIO * finer.adj.length;
    // Once a coarser level exists, the finest level goes back to the workspace for the coarser ones to reuse (it is
    // the largest: 43 % of ego-Twitter's hierarchy); so does level 1 when it kept nearly all of level 0's arcs, as
    // matching does on a random graph. They are rebuilt for the last refinements, where holding the two at once
    // costs no more than building level 1 did; a third would.
    if (levels.length - 1 === released && (released === 0 || (released === 1 && finerStalled))) {
      giveBack(released++);
    }
    levels.push(coarse);
    maps.push(coarseOf);
  }

  const depth = levels.length;
  let part =
    k === 1
      ? ws.take(Int32Array, levels[depth - 1].n)
      : initialPartition(levels[depth - 1], k, imbalance, rng, INITIAL_TRIES, ws);
  for (let level = depth - 2; level >= 0; level--) {
    progress({ stage: 'refine', done: depth - 2 - level, total: depth - 1 });
    // The coarser level is done with: it goes back before the finer level's refinement (or rebuild) takes memory.
    giveBack(level + 1);
    levels.pop();
    // The levels given back are rebuilt from the graph and the maps, which gives them exactly as they were.
    if (level === released - 1) {
      levels[0] = finest();
      for (let i = 1; i < released; i++) {
        const again = contract(levels[i - 1], maps[i - 1], ws);
        ws.give(again.coarseOf);
        levels[i] = again.coarse;
      }
    }
    const finer = levels[level];
    const coarseOf = maps.pop()!;
    const projected = ws.take(Int32Array, finer.n);
    for (let v = 0; v < finer.n; v++) projected[v] = part[coarseOf[v]];
    ws.give(coarseOf, part);
    part = projected;
    const balance = new Balance(finer, k, imbalance, part);
    if (balance.worstLoad() > 1) rebalance(finer, part, balance, rng, ws);
    refine(finer, part, balance, rng, ws);
    if (finer.n <= PAIRWISE_MAX_NODES) pairwiseFm(finer, part, balance, 2 * k, ws);
  }
  progress({ stage: 'refine', done: depth - 1, total: depth - 1 });

  const assignment = new Map<string, Int32Array>();
  const offsets = typeOffsets(graph);
  for (const t of graph.ntypes) {
    const at = offsets.get(t.name)!;
    assignment.set(t.name, part.slice(at, at + t.numNodes));
  }
  return assignment;
};

/**
 * Node weights by the balance mode: `nodes` (1 each), `edges` (the arcs a node's owner stores, its in-degree, plus
 * one so isolated nodes count), or `train` (two constraints, as DGL's balance_ntypes: every node, and training nodes).
 */
function nodeWeights(graph: GraphData, options: AssignOptions): { weights: Int32Array; constraints: number } {
  const n = graph.ntypes.reduce((s, t) => s + t.numNodes, 0);
  const offsets = typeOffsets(graph);
  if (options.balance === 'train') {
    const weights = new Int32Array(2 * n);
    for (const t of graph.ntypes) {
      const at = offsets.get(t.name)!;
      for (let v = 0; v < t.numNodes; v++) {
        weights[2 * (at + v)] = 1;
        weights[2 * (at + v) + 1] = t.masks.train_mask?.[v] ?? 0;
      }
    }
    return { weights, constraints: 2 };
  }
  const weights = new Int32Array(n).fill(1);
  if (options.balance === 'edges') {
    const degrees = inDegrees(graph);
    for (const t of graph.ntypes) {
      const at = offsets.get(t.name)!;
      const deg = degrees.get(t.name)!;
      for (let v = 0; v < t.numNodes; v++) weights[at + v] += deg[v];
    }
  }
  return { weights, constraints: 1 };
}

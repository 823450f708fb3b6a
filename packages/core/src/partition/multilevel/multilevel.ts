import { FanoutError } from '../../errors/index.ts';
import type { GraphData } from '../../graph/index.ts';
import { Xoshiro128 } from '../../random/index.ts';
import type { Assigner, AssignOptions } from '../assignment.ts';
import { inDegrees } from '../assignment.ts';
import { Balance } from './balance.ts';
import { contract, dropContraction, matchHeavyEdges, propagateLabels, sizeContraction } from './coarsen.ts';
import { finestGrouping, groupNodes, groupWeights, releaseGrouping } from './grouping.ts';
import { initialPartition } from './initial.ts';
import { pairwiseFm } from './pairwise.ts';
import { rebalance, refine } from './refine.ts';
import {
  release,
  structureBytes,
  totalWeights,
  typeOffsets,
  undirectedStructure,
  type WeightedGraph,
} from './weighted-graph.ts';
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
 * Levels up to this size also get pairwise FM (2k pairs at most): without it ego-Twitter's 4-part cut is 8.28 %
 * rather than 6.91 % (seed 0). Up to 20,000 nodes, it cut barely less (medians of 5 seeds: 6.96 against 7.02 % at 4
 * parts, 16.59 against 16.61 % at 16) in 7–23 % more time (warm runs: 465 against 435 ms at 4 parts, 671 against 544).
 */
const PAIRWISE_MAX_NODES = 5_000;
/**
 * The finest level and level 1, contracted from it, may take up to this many times the finest level's CSR together
 * (indptr and 32-bit neighbor IDs, the unit of the memory target: 3×, with up to 0.9× more in V8's heap and runtime on
 * small graphs). Only for that contraction: the finest level goes back right after it, where a coarser finer level
 * stays in the hierarchy (on a random 400K-node graph, holding levels 1 and 2 so took the workspace from 1.4× to 2.9×
 * its CSR). On ego-Twitter levels 0 and 1 take 1.98× by the bound that sizes them; contracted, the run's peak (set
 * later, by the whole hierarchy) went from 2.07× to 2.12×, and a cold run took 10 % less than building level 1 from the
 * graph. On a random 2M-node graph they would take 3.4×, and level 1 is built from the graph (see the coarsening loop).
 */
const TWO_LEVELS_WITHIN_CSR = 2;
/** Bisections tried for the first split of the coarsest graph (halved at each deeper split, at least 4). */
const INITIAL_TRIES = 16;

/**
 * Multilevel k-way partitioning in METIS's scheme, on the symmetrized structure of all edge types: coarsen by
 * heavy-edge matching (with 2-hop matching for power-law leaves), partition the coarsest graph by recursive bisection
 * (greedy growing + FM, best of several tries), then project back level by level with balanced greedy boundary
 * refinement and, on the smaller levels, pairwise FM between parts. Deterministic for a seed: every random order
 * comes from one seeded stream and all work is sequential. The largest levels are built from the graph rather than
 * contracted from their finer level, so that no two of them are held at once (see the coarsening loop).
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
  const levels: WeightedGraph[] = [];
  const maps: Int32Array[] = [];
  // Level `level`, built from the graph through the maps of the levels below it (see `undirectedStructure`).
  const fromGraph = (level: number, nodeWeight: Int32Array): WeightedGraph => {
    const grouping = finestGrouping(maps.slice(0, level), ws);
    const g = undirectedStructure(graph, nodeWeight, constraints, ws, grouping);
    if (grouping) releaseGrouping(ws, grouping);
    return g;
  };
  levels.push(fromGraph(0, weights));
  // What building the finest level took (the rows with repeats, before they merge), which the run needs anyway.
  const buildBytes = ws.bytes;
  // What the finest level and level 1 may hold while one is contracted from the other (see TWO_LEVELS_WITHIN_CSR).
  const finestPairBytes = Math.max(
    buildBytes,
    TWO_LEVELS_WITHIN_CSR * (levels[0].indptr.byteLength + 4 * levels[0].adj.length),
  );
  progress({ stage: 'structure', done: 1, total: 1 });

  const limit = Math.max(NODES_PER_PART_AT_COARSEST * k, 2 * k);
  const maxNodeWeight = Math.max(1, (MAX_NODE_WEIGHT_FACTOR * totalWeights(levels[0])[0]) / limit);
  let matchingStalls = false;
  // Levels whose structure went back to the workspace once a coarser level existed; refinement builds them again.
  const givenBack = new Set<number>();
  while (levels[levels.length - 1].n > limit && k > 1) {
    const level = levels.length - 1;
    const finer = levels[level];
    progress({ stage: 'coarsen', done: level, total: 0 });
    // Matching while it also sheds edges; clusters once it stops doing so on a large level, where keeping level
    // after level of full adjacency would cost memory (a random 60M-arc graph: 8.8 GB with matching alone).
    const useClusters = matchingStalls && finer.n > 8 * limit;
    const cluster = useClusters
      ? propagateLabels(finer, maxNodeWeight, rng, ws)
      : matchHeavyEdges(finer, maxNodeWeight, rng, ws);
    const grouping = groupNodes(cluster, ws);
    ws.give(cluster);
    if (grouping.count > 0.95 * finer.n) {
      releaseGrouping(ws, grouping);
      break;
    }
    const finerArcs = finer.adj.length;
    maps.push(grouping.groupOf);
    const contraction = sizeContraction(finer, grouping, ws);
    let coarse: WeightedGraph;
    if (structureBytes(finer) + contraction.coarseBytes > (level === 0 ? finestPairBytes : buildBytes)) {
      // Contracting would hold two large levels at once, where matching stalls level after level (a random 2M-node
      // graph's run peaked there, at 3.4× its CSR; 1.8× so). The finer level goes back first, and the coarse one is
      // built from the graph. Both are built from the graph again for refinement. On that graph a build took 11 s
      // where contraction took 15, but there are more of them.
      dropContraction(ws, contraction);
      const nodeWeight = groupWeights(finer, grouping.groupOf, grouping.count, ws);
      release(ws, finer);
      givenBack.add(level);
      coarse = fromGraph(level + 1, nodeWeight);
    } else {
      coarse = contract(finer, contraction, ws);
      // The finest level goes back once level 1 exists, for the coarser levels to reuse: it is the largest (43 % of
      // ego-Twitter's hierarchy), and building it again for the last refinement takes no more than it took at first.
      if (level === 0) {
        release(ws, finer);
        givenBack.add(level);
      }
    }
    ws.give(grouping.order);
    matchingStalls = coarse.adj.length > STALLED_EDGE_RATIO * finerArcs;
    levels.push(coarse);
  }

  const depth = levels.length;
  let part =
    k === 1
      ? ws.take(Int32Array, levels[depth - 1].n)
      : initialPartition(levels[depth - 1], k, imbalance, rng, INITIAL_TRIES, ws);
  for (let level = depth - 2; level >= 0; level--) {
    progress({ stage: 'refine', done: depth - 2 - level, total: depth - 1 });
    // The coarser level is done with: it goes back before the finer level's refinement (or rebuild) takes memory.
    release(ws, levels[level + 1]);
    ws.give(levels[level + 1].nodeWeight);
    levels.pop();
    if (givenBack.has(level)) levels[level] = fromGraph(level, levels[level].nodeWeight);
    const finer = levels[level];
    const coarseOf = maps.pop()!;
    const projected = project(part, coarseOf, ws);
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
 * Each finer node's part, its coarse node's. A function of its own, as the other loops over a level are: V8 optimizes
 * a short function on its own, where a hot loop inside the long driver waits for the whole driver to be compiled.
 */
function project(coarsePart: Int32Array, coarseOf: Int32Array, ws: Workspace): Int32Array {
  const part = ws.take(Int32Array, coarseOf.length);
  for (let v = 0; v < part.length; v++) part[v] = coarsePart[coarseOf[v]];
  return part;
}

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

import { z } from 'zod';
import { FanoutError } from '../errors/index.ts';

const time = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const fanout = z.number().int().min(-1).max(1_000_000);
const hops = z.array(fanout).min(1).max(16);

/** Sampling options as PyG's NeighborSampler names them; validated at every boundary. */
export const samplingOptionsSchema = z.object({
  /** Fanout per hop; -1 = all neighbors. */
  num_neighbors: hops.refine(
    (f) => f.every((k) => k !== 0),
    'a fanout is a positive count or -1 (all neighbors), never 0',
  ),
  replace: z.boolean().default(false),
  disjoint: z.boolean().default(false),
  /** Return the original edge IDs of sampled edges (`edge`), as pyg-lib's return_edge_id. */
  return_edge_id: z.boolean().default(true),
  /** The run's seed. */
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  /**
   * Sample by edge weight (PyG's weight_attr): with replacement, draws ∝ weight; without, successive sampling as DGL
   * does. The partition format stores one weight column, `weight`.
   */
  weight_attr: z.literal('weight').optional(),
  /**
   * Temporal sampling (PyG's seed_time): one time per seed, or one for all; a neighbor is eligible when its time (the
   * edge's `time`, else the neighbor's node time) is ≤ its seed's time. Forces disjoint sampling, as PyG does.
   */
  seed_time: z.union([time, z.array(time)]).optional(),
  /**
   * Which time temporal sampling compares (PyG's time_attr): `time`, the edge's time, or `nbr_time`, the neighbor's
   * node time. Default: the edge time when the edge type has one, else the node time.
   */
  time_attr: z.enum(['time', 'nbr_time']).optional(),
  /** Among eligible neighbors: `uniform` draws, or `last`, the k most recent (PyG's temporal_strategy). */
  temporal_strategy: z.enum(['uniform', 'last']).default('uniform'),
});

export type SamplingOptions = z.infer<typeof samplingOptionsSchema>;
export type SamplingOptionsInput = z.input<typeof samplingOptionsSchema>;

/**
 * Heterogeneous graphs: `num_neighbors` is one fanout list for every edge type, or, as PyG's dict form, a list per
 * canonical edge type (`{"author:writes:paper": [10, 5], …}`), where 0 skips the edge type at that hop.
 */
export const heteroSamplingOptionsSchema = samplingOptionsSchema.extend({
  num_neighbors: z.union([samplingOptionsSchema.shape.num_neighbors, z.record(z.string(), hops)]),
});

export type HeteroSamplingOptions = z.infer<typeof heteroSamplingOptionsSchema>;
export type HeteroSamplingOptionsInput = z.input<typeof heteroSamplingOptionsSchema>;

export function parseSamplingOptions(input: unknown): SamplingOptions {
  return checked(samplingOptionsSchema.safeParse(input));
}

export function parseHeteroSamplingOptions(input: unknown): HeteroSamplingOptions {
  return checked(heteroSamplingOptionsSchema.safeParse(input));
}

/**
 * Each edge type's fanouts, in the manifest's edge type order. A dict must name every edge type, and only those,
 * with as many hops each.
 */
export function fanoutsPerEdgeType(numNeighbors: HeteroSamplingOptions['num_neighbors'], etypes: string[]): number[][] {
  if (Array.isArray(numNeighbors)) return etypes.map(() => numNeighbors);
  const unknown = Object.keys(numNeighbors).filter((e) => !etypes.includes(e));
  if (unknown.length > 0) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `num_neighbors names edge type ${unknown[0]}, which the graph does not have (${etypes.join(', ')})`,
    );
  }
  const missing = etypes.filter((e) => !(e in numNeighbors));
  if (missing.length > 0) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `num_neighbors has no fanouts for ${missing.join(', ')}: give every edge type a list (0 skips it at a hop)`,
    );
  }
  const lists = etypes.map((e) => numNeighbors[e]);
  if (lists.some((l) => l.length !== lists[0].length)) {
    throw new FanoutError('INVALID_ARGUMENT', 'num_neighbors: every edge type needs the same number of hops');
  }
  return lists;
}

function checked<Options extends HeteroSamplingOptions>(parsed: z.ZodSafeParseResult<Options>): Options {
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `sampling options: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const options = parsed.data;
  if (options.time_attr !== undefined && options.seed_time === undefined) {
    throw new FanoutError('INVALID_ARGUMENT', 'sampling options: time_attr needs seed_time (temporal sampling)');
  }
  if (options.seed_time !== undefined) {
    if (options.weight_attr) {
      throw new FanoutError('INVALID_ARGUMENT', 'sampling options: weighted and temporal sampling do not combine');
    }
    options.disjoint = true;
  }
  return options;
}

/** A batch key (the batch's index in its run) must be a 32-bit unsigned integer. */
export function checkBatchKey(batchKey: number): number {
  if (!Number.isInteger(batchKey) || batchKey < 0 || batchKey > 0xffffffff) {
    throw new FanoutError('INVALID_ARGUMENT', `batch key must be an integer in [0, 2^32 - 1], got ${batchKey}`);
  }
  return batchKey;
}

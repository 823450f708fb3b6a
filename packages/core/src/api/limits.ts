import { FanoutError } from '../errors/index.ts';

export interface ApiLimits {
  /** Seeds per sample request (default 10,000). */
  maxSeeds: number;
  /** The product of the fanouts, a bound on edges per seed (default 10,000; -1 has no bound and is refused). */
  maxFanoutProduct: number;
  /** Values per feature request: rows × the width of the features asked (default 2,000,000: 8 MB of float32). */
  maxFeatureValues: number;
  /** Request body bytes (default 1 MiB). */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxSeeds: 10_000,
  maxFanoutProduct: 10_000,
  maxFeatureValues: 2_000_000,
  maxBodyBytes: 2 ** 20,
};

/**
 * `fanouts` holds one list per edge type (a homogeneous graph has one). A node can be expanded through every edge
 * type, so edges per seed are bounded by the product over hops of the hop's fanouts summed over edge types.
 */
export function checkSampleLimits(seeds: number, fanouts: number[][], limits: ApiLimits): void {
  if (seeds > limits.maxSeeds) {
    throw new FanoutError(
      'LIMIT_EXCEEDED',
      `${seeds} seeds asked; this API takes at most ${limits.maxSeeds} per request`,
    );
  }
  if (fanouts.some((list) => list.some((k) => k < 0))) {
    throw new FanoutError(
      'LIMIT_EXCEEDED',
      'fanout -1 (all neighbors) has no bound; the API samples bounded fanouts (use the library or CLI for full neighborhoods)',
    );
  }
  let product = 1;
  for (let hop = 0; hop < fanouts[0].length; hop++) product *= fanouts.reduce((sum, list) => sum + (list[hop] ?? 0), 0);
  if (product > limits.maxFanoutProduct) {
    throw new FanoutError(
      'LIMIT_EXCEEDED',
      `the product of the fanouts is ${product}; this API takes at most ${limits.maxFanoutProduct}`,
    );
  }
}

export function checkFeatureLimits(rows: number, width: number, limits: ApiLimits): void {
  if (rows * width > limits.maxFeatureValues) {
    throw new FanoutError(
      'LIMIT_EXCEEDED',
      `${rows} nodes × ${width} values is over this API's ${limits.maxFeatureValues} values per request; ask in parts`,
    );
  }
}

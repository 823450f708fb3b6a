import { FanoutError } from '../errors/index.ts';
import type { Manifest } from '../format/index.ts';
import type { SamplingOptions } from './options.ts';

/**
 * Checks a batch's seeds and options against the edge types it will sample, before any request goes out: seeds
 * present and distinct unless disjoint, edge weights present for weighted sampling, times present and one per seed
 * for temporal sampling (a single `seed_time` is spread to every seed here).
 */
export function checkSeeds(
  manifest: Manifest,
  etypes: string[],
  seeds: ArrayLike<number>,
  options: Pick<SamplingOptions, 'weight_attr' | 'seed_time' | 'time_attr' | 'disjoint'>,
): void {
  if (seeds.length === 0) throw new FanoutError('INVALID_ARGUMENT', 'the seed list is empty');
  for (const etype of etypes) {
    const columns = manifest.edge_columns[etype] ?? [];
    if (options.weight_attr !== undefined && !columns.includes('weight')) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `weight_attr "${options.weight_attr}": ${etype} has no edge weights (ingest an edge table with a weight column)`,
      );
    }
    if (options.seed_time !== undefined && !columns.includes('time') && !columns.includes('nbr_time')) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `seed_time: ${etype} has no edge or node times (ingest a time column on the edges or the nodes)`,
      );
    }
    if (options.time_attr !== undefined && !columns.includes(options.time_attr)) {
      const what = options.time_attr === 'time' ? 'edge times' : 'node times of its source type';
      throw new FanoutError('INVALID_ARGUMENT', `time_attr "${options.time_attr}": ${etype} has no ${what}`);
    }
  }
  if (typeof options.seed_time === 'number') options.seed_time = new Array(seeds.length).fill(options.seed_time);
  if (Array.isArray(options.seed_time) && options.seed_time.length !== seeds.length) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `seed_time has ${options.seed_time.length} times for ${seeds.length} seeds`,
    );
  }
  if (!options.disjoint) assertDistinct(seeds);
}

function assertDistinct(seeds: ArrayLike<number>): void {
  const sorted = Float64Array.from(seeds).sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `seed ${sorted[i]} appears more than once; seeds must be distinct unless sampling is disjoint`,
      );
    }
  }
}

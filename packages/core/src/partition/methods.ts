import { FanoutError } from '../errors/index.ts';
import { type Assigner, randomAssigner } from './assignment.ts';
import { multilevelAssigner } from './multilevel/multilevel.ts';

/** The partitioning methods `--method` names; multilevel is the default, as METIS is for DGL and PyG. */
export const ASSIGNERS: Record<string, Assigner> = { multilevel: multilevelAssigner, random: randomAssigner };
export const DEFAULT_METHOD = 'multilevel';

export function assignerFor(method: string): Assigner {
  const assigner = ASSIGNERS[method];
  if (!assigner) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `unknown partition method "${method}" (available: ${Object.keys(ASSIGNERS).join(', ')})`,
    );
  }
  return assigner;
}

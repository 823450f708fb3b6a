import { FanoutError } from '../errors/index.ts';
import { Xoshiro128 } from '../random/index.ts';

/**
 * `count` batches of `batchSize` distinct node IDs drawn uniformly from [0, numNodes), as the reference sampler draws
 * its seeds (it dedups repeats; here each batch is distinct outright, which the sampler requires).
 */
export function randomSeedBatches(numNodes: number, batchSize: number, count: number, seed: number): Int32Array[] {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > numNodes) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `batch size must be in [1, ${numNodes}] for a graph of ${numNodes} nodes, got ${batchSize}`,
    );
  }
  const rng = new Xoshiro128(seed, 'sampling/random-seeds');
  const stamp = new Int32Array(numNodes);
  return Array.from({ length: count }, (_, b) => {
    const batch = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; ) {
      const v = rng.nextBelow(numNodes);
      if (stamp[v] === b + 1) continue;
      stamp[v] = b + 1;
      batch[i++] = v;
    }
    return batch;
  });
}

import { FanoutError } from '../errors/index.ts';
import { Xoshiro128 } from '../random/index.ts';

export interface ItemSamplerOptions {
  batchSize: number;
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize`. */
  dropLast?: boolean;
  seed?: number;
}

/** One batch of seed items and its batch key (the determinism contract's batch index within the run). */
export interface ItemBatch {
  seeds: Int32Array;
  batchKey: number;
  /** Position within the epoch. */
  index: number;
}

/**
 * The first stage of a loader, as GraphBolt's ItemSampler: cuts the items (node IDs) into batches, shuffled per epoch
 * by a seeded generator keyed by the epoch, so any epoch can be replayed alone. Batch keys run on across epochs
 * (epoch × batches per epoch + position), so a node draws fresh neighbors in every batch of a run.
 */
export class ItemSampler {
  readonly batchesPerEpoch: number;

  constructor(
    readonly items: Int32Array,
    readonly options: ItemSamplerOptions,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new FanoutError('INVALID_ARGUMENT', `batch size must be a positive integer, got ${options.batchSize}`);
    }
    const full = Math.floor(items.length / options.batchSize);
    this.batchesPerEpoch = options.dropLast || items.length % options.batchSize === 0 ? full : full + 1;
  }

  *epoch(epoch: number): Generator<ItemBatch> {
    const order = Int32Array.from(this.items);
    if (this.options.shuffle) new Xoshiro128(this.options.seed ?? 0, `loader/items/epoch-${epoch}`).shuffle(order);
    const { batchSize } = this.options;
    for (let index = 0; index < this.batchesPerEpoch; index++) {
      yield {
        seeds: order.subarray(index * batchSize, Math.min(order.length, (index + 1) * batchSize)),
        batchKey: epoch * this.batchesPerEpoch + index,
        index,
      };
    }
  }
}

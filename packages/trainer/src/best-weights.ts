import type * as tf from '@tensorflow/tfjs';
import type { GraphSage } from './graphsage.ts';

/** The weights of a model at its best validation score so far: copied when it improves, put back at the end. */
export class BestWeights {
  private copies?: tf.Tensor[];

  /** Keeps a copy of the model's current weights (the previous copy is freed). */
  keep(model: GraphSage): void {
    this.dispose();
    this.copies = model.variables.map((v) => v.clone());
  }

  /** Puts the kept weights back into the model, if any were kept, and frees the copy. */
  restore(model: GraphSage): void {
    if (this.copies) for (const [i, v] of model.variables.entries()) v.assign(this.copies[i]);
    this.dispose();
  }

  private dispose(): void {
    for (const t of this.copies ?? []) t.dispose();
    this.copies = undefined;
  }
}

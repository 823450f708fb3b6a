import { type Block, FanoutError } from '@fanout/core';
import * as tf from '@tensorflow/tfjs';
import { meanAggregate } from './aggregate.ts';

export interface GraphSageOptions {
  inputDim: number;
  hidden: number;
  classes: number;
  layers: number;
  dropout: number;
  seed: number;
}

/**
 * GraphSAGE with the mean aggregator (Hamilton et al.), layer by layer over a sample's blocks:
 * h_dst = W_self · h_dst + W_neigh · mean(h_src over in-edges) + b, with dropout on the inputs and ReLU and dropout
 * between layers.
 */
export class GraphSage {
  readonly weights: tf.Variable[] = [];
  private readonly layers: { self: tf.Variable; neigh: tf.Variable; bias: tf.Variable }[] = [];

  constructor(readonly options: GraphSageOptions) {
    const { inputDim, hidden, classes, layers, seed } = options;
    for (let l = 0; l < layers; l++) {
      const inDim = l === 0 ? inputDim : hidden;
      const outDim = l === layers - 1 ? classes : hidden;
      // Glorot-uniform initialization, seeded per weight.
      const limit = Math.sqrt(6 / (inDim + outDim));
      const self = tf.variable(tf.randomUniform([inDim, outDim], -limit, limit, 'float32', seed * 31 + 2 * l));
      const neigh = tf.variable(tf.randomUniform([inDim, outDim], -limit, limit, 'float32', seed * 31 + 2 * l + 1));
      const bias = tf.variable(tf.zeros([outDim]));
      this.layers.push({ self, neigh, bias });
      this.weights.push(self, neigh);
    }
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.self, l.neigh, l.bias]);
  }

  /** The weights by stable names (`layer0/self`, `layer0/neigh`, `layer0/bias`, …), for saving. */
  namedWeights(): Record<string, tf.Variable> {
    return Object.fromEntries(
      this.layers.flatMap((l, i) => [
        [`layer${i}/self`, l.self],
        [`layer${i}/neigh`, l.neigh],
        [`layer${i}/bias`, l.bias],
      ]),
    );
  }

  /** Assigns saved weights; each must be present with this model's shape. */
  setWeights(weights: Record<string, tf.Tensor>): void {
    for (const [name, variable] of Object.entries(this.namedWeights())) {
      const w = weights[name];
      if (!w || w.shape.join(',') !== variable.shape.join(',')) {
        throw new FanoutError(
          'INVALID_INPUT',
          `weight ${name} is ${w ? `of shape [${w.shape}]` : 'missing'}; this model needs [${variable.shape}]`,
        );
      }
      variable.assign(w);
    }
  }

  /**
   * Logits of the blocks' final destinations (the seeds); `x` holds the features of every node of the sample. In
   * training, `step` (the training step's number) keys the dropout masks with the model's seed, so runs repeat.
   */
  forward(x: tf.Tensor2D, blocks: Block[], training: boolean, step = 0): tf.Tensor2D {
    const { dropout, seed } = this.options;
    const mask = (t: tf.Tensor2D, layer: number) =>
      tf.dropout(t, dropout, undefined, dropoutSeed(seed, step, layer)) as tf.Tensor2D;
    let h = tf.slice(x, [0, 0], [blocks[0].numSrcNodes, -1]) as tf.Tensor2D;
    // Dropout on the input features too, as PyG's Planetoid examples do: the sparse bag-of-words inputs overfit fast.
    if (training && dropout > 0) h = mask(h, 0);
    blocks.forEach((block, l) => {
      const { self, neigh, bias } = this.layers[l];
      const dst = tf.slice(h, [0, 0], [block.numDstNodes, -1]);
      const agg = meanAggregate(h, block.row, block.col, block.numDstNodes);
      let out = tf.add(tf.add(tf.matMul(dst, self), tf.matMul(agg, neigh)), bias) as tf.Tensor2D;
      if (l < blocks.length - 1) {
        out = tf.relu(out);
        if (training && dropout > 0) out = mask(out, l + 1);
      }
      h = out;
    });
    return h;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** A dropout mask's seed from the model's seed, the step and the layer (a 32-bit mix; tfjs seeds its own generator). */
function dropoutSeed(seed: number, step: number, layer: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(step + 1, 0xc2b2ae35) ^ Math.imul(layer + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

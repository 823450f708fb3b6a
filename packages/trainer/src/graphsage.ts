import type { Block } from '@fanout/core';
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

  /** Logits of the blocks' final destinations (the seeds); `x` holds the features of every node of the sample. */
  forward(x: tf.Tensor2D, blocks: Block[], training: boolean): tf.Tensor2D {
    let h = tf.slice(x, [0, 0], [blocks[0].numSrcNodes, -1]) as tf.Tensor2D;
    // Dropout on the input features too, as PyG's Planetoid examples do: the sparse bag-of-words inputs overfit fast.
    if (training && this.options.dropout > 0) h = tf.dropout(h, this.options.dropout) as tf.Tensor2D;
    blocks.forEach((block, l) => {
      const { self, neigh, bias } = this.layers[l];
      const dst = tf.slice(h, [0, 0], [block.numDstNodes, -1]);
      const agg = meanAggregate(h, block.row, block.col, block.numDstNodes);
      let out = tf.add(tf.add(tf.matMul(dst, self), tf.matMul(agg, neigh)), bias) as tf.Tensor2D;
      if (l < blocks.length - 1) {
        out = tf.relu(out);
        if (training && this.options.dropout > 0) out = tf.dropout(out, this.options.dropout) as tf.Tensor2D;
      }
      h = out;
    });
    return h;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

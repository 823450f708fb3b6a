import * as tf from '@tensorflow/tfjs';

/**
 * Mean of the sources' rows over each destination's in-edges (GraphSAGE's mean aggregator). Gathering with tf.gather
 * would differentiate through UnsortedSegmentSum, which the CPU backend runs unusably slowly, so forward and backward
 * are written in typed arrays under tf.customGrad; a sample's edges come ordered by destination, so each output row is
 * one contiguous run (the loop does not rely on it, but it keeps the memory access sequential).
 */
export function meanAggregate(h: tf.Tensor2D, row: Int32Array, col: Int32Array, numDst: number): tf.Tensor2D {
  const degree = new Float32Array(numDst);
  for (let e = 0; e < col.length; e++) degree[col[e]]++;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor2D;
    const dim = input.shape[1];
    const values = input.dataSync() as Float32Array;
    const out = new Float32Array(numDst * dim);
    for (let e = 0; e < row.length; e++) {
      const from = row[e] * dim;
      const to = col[e] * dim;
      for (let k = 0; k < dim; k++) out[to + k] += values[from + k];
    }
    for (let c = 0; c < numDst; c++) {
      if (degree[c] > 1) for (let k = 0; k < dim; k++) out[c * dim + k] /= degree[c];
    }
    return {
      value: tf.tensor2d(out, [numDst, dim]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dx = new Float32Array(input.shape[0] * dim);
        for (let e = 0; e < row.length; e++) {
          const from = col[e] * dim;
          const to = row[e] * dim;
          const scale = 1 / degree[col[e]];
          for (let k = 0; k < dim; k++) dx[to + k] += g[from + k] * scale;
        }
        return tf.tensor2d(dx, input.shape);
      },
    };
  });
  return op(h) as tf.Tensor2D;
}

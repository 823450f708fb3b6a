import * as tf from '@tensorflow/tfjs';

/** The input matrix of a batch, rows scaled to sum to 1 when asked (rows of zeros stay zero). */
export function inputs(rows: { dim: number; data: Float32Array }, count: number, normalize: boolean): tf.Tensor2D {
  const { dim, data } = rows;
  if (normalize) {
    for (let r = 0; r < count; r++) {
      let sum = 0;
      for (let k = 0; k < dim; k++) sum += data[r * dim + k];
      if (sum !== 0) for (let k = 0; k < dim; k++) data[r * dim + k] /= sum;
    }
  }
  return tf.tensor2d(data, [count, dim]);
}

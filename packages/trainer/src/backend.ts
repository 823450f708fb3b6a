import * as tf from '@tensorflow/tfjs';

/**
 * Picks the TensorFlow.js backend: the native `tensorflow` backend of @tensorflow/tfjs-node-gpu when it can be loaded
 * (a GPU trainer host installs it; its install script downloads libtensorflow and CUDA, so it is never a dependency
 * here), else the pure-JS CPU backend. Returns the backend's name.
 */
export async function selectBackend(): Promise<string> {
  const gpuPackage = '@tensorflow/tfjs-node-gpu';
  try {
    await import(gpuPackage);
    if (await tf.setBackend('tensorflow')) return tf.getBackend();
  } catch {
    // Not installed or not loadable on this host: the CPU backend serves.
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}

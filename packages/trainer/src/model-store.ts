import { FanoutError, joinKey, openStore } from '@fanout/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { GraphSage } from './graphsage.ts';

const MODEL_KEY = 'model.json';
const WEIGHTS_KEY = 'weights.bin';
const FORMAT = 'fanout-graphsage';

/** model.json: the model's options and a tfjs weights manifest (the layout `tf.io` writes and reads). */
const modelFileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(1),
  options: z.object({
    inputDim: z.number().int().positive(),
    hidden: z.number().int().positive(),
    classes: z.number().int().positive(),
    layers: z.number().int().positive(),
    dropout: z.number().min(0).max(1),
    seed: z.number().int().min(0),
  }),
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string()),
        weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()), dtype: z.literal('float32') })),
      }),
    )
    .length(1),
});

/**
 * Saves a model under a directory or object-store prefix (`s3://bucket/models/cora`): `weights.bin` (the weights,
 * packed by `tf.io.encodeWeights`), then `model.json` (options and weights manifest) last, so a reader never sees a
 * model.json whose weights are not there.
 */
export async function saveGraphSage(model: GraphSage, uri: string): Promise<void> {
  const store = openStore(uri);
  const { data, specs } = await tf.io.encodeWeights(model.namedWeights());
  await store.put(WEIGHTS_KEY, new Uint8Array(data), { contentType: 'application/octet-stream' });
  const file: z.infer<typeof modelFileSchema> = {
    format: FORMAT,
    version: 1,
    options: model.options,
    weightsManifest: [
      {
        paths: [WEIGHTS_KEY],
        weights: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: 'float32' as const })),
      },
    ],
  };
  await store.put(MODEL_KEY, Buffer.from(`${JSON.stringify(file, null, 1)}\n`), { contentType: 'application/json' });
}

/** Loads a model saved by `saveGraphSage`, checking its file and that every weight is there with its shape. */
export async function loadGraphSage(uri: string): Promise<GraphSage> {
  const store = openStore(uri);
  const source = `${store.uri}/${MODEL_KEY}`;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(await store.get(MODEL_KEY)).toString('utf8'));
  } catch (error) {
    if (error instanceof FanoutError) throw error;
    throw new FanoutError('INVALID_INPUT', `${source}: not JSON`, { cause: error });
  }
  const parsed = modelFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FanoutError('INVALID_INPUT', `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const { options, weightsManifest } = parsed.data;
  const bytes = await store.get(joinKey(weightsManifest[0].paths[0]));
  const expected = weightsManifest[0].weights.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== expected) {
    throw new FanoutError(
      'INVALID_INPUT',
      `${store.uri}/${WEIGHTS_KEY} has ${bytes.byteLength} bytes, not ${expected}`,
    );
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const weights = tf.io.decodeWeights(buffer, weightsManifest[0].weights);
  const model = new GraphSage(options);
  try {
    model.setWeights(weights);
  } finally {
    for (const t of Object.values(weights)) t.dispose();
  }
  return model;
}

import { Bool, Field } from 'apache-arrow';
import { FanoutError } from '../errors/index.ts';
import { encodeArrowFile } from '../format/arrow-file.ts';
import {
  boolData,
  float32Data,
  float32Type,
  int32Data,
  int32Type,
  int64Data,
  int64Type,
  recordBatch,
  vectorData,
  vectorOf,
} from '../format/columns.ts';
import { batchRanges } from '../format/index.ts';
import { MASK_NAMES } from '../graph/index.ts';
import type { ProgressListener } from '../progress/index.ts';
import { Xoshiro128 } from '../random/index.ts';
import type { ObjectStore } from '../storage/index.ts';

/** What a generated graph carries besides its structure (for every type of a typed one). */
export interface GeneratedData {
  /** Node feature width (0: no features). */
  featDim?: number;
  /** Label classes (0: no labels); features then cluster around one centroid per class, so the task is learnable. */
  classes?: number;
  seed?: number;
  /** Adds a `weight` column (uniform in (0, 1]). */
  weights?: boolean;
  /** Adds a `time` column (uniform integers in [0, 10^9)). */
  time?: boolean;
  /** Power-law exponent of the expected degrees, w_i ∝ (i + 1)^-exponent (default 0.5, as the reference sampler's synthetic graphs). */
  exponent?: number;
}

export interface GenerateOptions extends GeneratedData {
  nodes: number;
  edges: number;
  onProgress?: ProgressListener;
}

const ROWS_PER_BATCH = 1 << 20;

/**
 * A directed Chung–Lu graph: each arc's endpoints are drawn independently with probability ∝ a power-law weight
 * (Walker's alias method: O(1) per draw), over randomly permuted IDs so that hubs are spread over the ID space.
 * Self-loops are redrawn. It has the heavy-tailed degrees of real graphs but no communities, so it measures time and
 * memory, not cut quality. Writes `edges.arrow` (src, dst[, weight][, time]) and `nodes.arrow` when there is node data.
 */
export async function generateGraph(
  store: ObjectStore,
  options: GenerateOptions,
): Promise<{ nodes: number; edges: number }> {
  const { nodes: n, edges: m } = options;
  if (!Number.isInteger(n) || n < 2 || n > 0x7fffffff)
    throw new FanoutError('INVALID_ARGUMENT', `--nodes must be an integer in [2, 2^31 - 1], got ${n}`);
  if (!Number.isInteger(m) || m < 0 || m > 0x7fffffff)
    throw new FanoutError('INVALID_ARGUMENT', `--edges must be an integer in [0, 2^31 - 1], got ${m}`);
  const rng = new Xoshiro128(options.seed ?? 0, 'generate/chung-lu');
  const progress = options.onProgress ?? (() => {});
  const permutation = new Int32Array(n);
  for (let i = 0; i < n; i++) permutation[i] = i;
  rng.shuffle(permutation);
  const alias = aliasTable(n, options.exponent ?? 0.5);

  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const s = alias.draw(rng);
    let d = alias.draw(rng);
    while (d === s) d = alias.draw(rng);
    src[i] = permutation[s];
    dst[i] = permutation[d];
    if ((i & 0xfffff) === 0) progress({ stage: 'generate edges', done: i, total: m });
  }
  progress({ stage: 'generate edges', done: m, total: m });

  const edgeBatches = edgeTable(src, dst, rng, options);
  progress({ stage: 'write', done: 0, total: 2 });
  await store.put('edges.arrow', edgeBatches);

  const featDim = options.featDim ?? 0;
  const classes = options.classes ?? 0;
  if (featDim > 0 || classes > 0) {
    await store.put('nodes.arrow', encodeNodeTable(n, featDim, classes, rng));
  }
  progress({ stage: 'write', done: 2, total: 2 });
  return { nodes: n, edges: m };
}

/** An edge table's bytes: src, dst, and a random `weight` in (0, 1] and `time` in [0, 10^9) when asked. */
export function edgeTable(
  src: Int32Array,
  dst: Int32Array,
  rng: Xoshiro128,
  options: { weights?: boolean; time?: boolean },
): Uint8Array {
  const m = src.length;
  const fields: Field[] = [new Field('src', int32Type(), false), new Field('dst', int32Type(), false)];
  let weight: Float32Array | undefined;
  let time: BigInt64Array | undefined;
  if (options.weights) {
    fields.push(new Field('weight', float32Type(), false));
    weight = new Float32Array(m);
    for (let i = 0; i < m; i++) weight[i] = 1 - rng.nextFloat();
  }
  if (options.time) {
    fields.push(new Field('time', int64Type(), false));
    time = new BigInt64Array(m);
    const halves = new Int32Array(time.buffer);
    for (let i = 0; i < m; i++) halves[2 * i] = rng.nextBelow(1e9);
  }
  const batches = batchRanges(m, ROWS_PER_BATCH).map(([a, b]) => {
    const columns = [int32Data(src.subarray(a, b)), int32Data(dst.subarray(a, b))];
    if (weight) columns.push(float32Data(weight.subarray(a, b)));
    if (time) columns.push(int64Data(time.subarray(a, b)));
    return recordBatch(fields, columns, b - a);
  });
  return encodeArrowFile(batches[0].schema, batches).bytes;
}

/** A node table: features clustered by class, labels, and a random 60 / 20 / 20 split (when there are classes). */
export function encodeNodeTable(n: number, featDim: number, classes: number, rng: Xoshiro128): Uint8Array {
  const label = new Int32Array(n);
  if (classes > 0) for (let v = 0; v < n; v++) label[v] = rng.nextBelow(classes);
  const centroids = new Float32Array(Math.max(classes, 1) * featDim);
  for (let i = 0; i < centroids.length; i++) centroids[i] = gaussian(rng);
  const feat = new Float32Array(n * featDim);
  for (let v = 0; v < n; v++) {
    for (let k = 0; k < featDim; k++) feat[v * featDim + k] = centroids[label[v] * featDim + k] + 2 * gaussian(rng);
  }
  // A 60 / 20 / 20 split, as random as the labels.
  const masks = MASK_NAMES.map(() => new Uint8Array(n));
  for (let v = 0; v < n; v++) {
    const u = rng.nextFloat();
    masks[u < 0.6 ? 0 : u < 0.8 ? 1 : 2][v] = 1;
  }
  const fields: Field[] = [];
  if (featDim > 0) fields.push(new Field('feat', vectorOf(featDim), false));
  if (classes > 0) {
    fields.push(new Field('label', int32Type(), false));
    for (const name of MASK_NAMES) fields.push(new Field(name, new Bool(), false));
  }
  const batches = batchRanges(n, ROWS_PER_BATCH).map(([a, b]) => {
    const columns = [];
    if (featDim > 0) columns.push(vectorData(feat.subarray(a * featDim, b * featDim), featDim));
    if (classes > 0) {
      columns.push(int32Data(label.subarray(a, b)));
      for (const mask of masks) columns.push(boolData(mask.subarray(a, b)));
    }
    return recordBatch(fields, columns, b - a);
  });
  return encodeArrowFile(batches[0].schema, batches).bytes;
}

/** Standard normal by Box–Muller. */
function gaussian(rng: Xoshiro128): number {
  return Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** Walker's alias table for weights (i + 1)^-exponent, i < n. */
export function aliasTable(n: number, exponent: number) {
  const prob = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += prob[i] = (i + 1) ** -exponent;
  for (let i = 0; i < n; i++) prob[i] *= n / sum;
  const alias = new Int32Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    if (prob[i] < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns];
    const l = large[--nl];
    alias[s] = l;
    prob[l] = prob[l] + prob[s] - 1;
    if (prob[l] < 1) small[ns++] = l;
    else large[nl++] = l;
  }
  while (nl > 0) prob[large[--nl]] = 1;
  while (ns > 0) prob[small[--ns]] = 1;
  return {
    draw(rng: Xoshiro128): number {
      const u = rng.nextFloat() * n;
      const i = Math.floor(u);
      return u - i < prob[i] ? i : alias[i];
    },
  };
}

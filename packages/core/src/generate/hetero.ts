import { FanoutError } from '../errors/index.ts';
import { HETERO_EDGES_PREFIX, HETERO_NODES_PREFIX } from '../ingest/arrow-tables.ts';
import { Xoshiro128 } from '../random/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { aliasTable, edgeTable, encodeNodeTable, type GeneratedData } from './chung-lu.ts';

export interface GenerateHeteroOptions extends GeneratedData {
  /** Nodes per node type. */
  ntypes: Record<string, number>;
  /** Arcs per canonical edge type `src:relation:dst`. */
  etypes: Record<string, number>;
}

/**
 * A heterogeneous Chung–Lu graph in the heterogeneous Arrow layout (`edges/<src>___<rel>___<dst>.arrow`,
 * `nodes/<type>.arrow`): each edge type's endpoints are drawn with power-law probabilities over its source and
 * destination types, whose hubs are spread by a permutation per type. For tests and scale runs of typed sampling.
 */
export async function generateHeteroGraph(
  store: ObjectStore,
  options: GenerateHeteroOptions,
): Promise<{ nodes: Record<string, number>; edges: Record<string, number> }> {
  const rng = new Xoshiro128(options.seed ?? 0, 'generate/hetero');
  const types = new Map<string, { n: number; permutation: Int32Array; alias: ReturnType<typeof aliasTable> }>();
  for (const [ntype, n] of Object.entries(options.ntypes)) {
    if (!Number.isInteger(n) || n < 1 || n > 0x7fffffff) {
      throw new FanoutError('INVALID_ARGUMENT', `node type ${ntype}: ${n} nodes; give an integer in [1, 2^31 - 1]`);
    }
    const permutation = Int32Array.from({ length: n }, (_, i) => i);
    rng.shuffle(permutation);
    types.set(ntype, { n, permutation, alias: aliasTable(n, options.exponent ?? 0.5) });
  }
  for (const [etype, m] of Object.entries(options.etypes)) {
    const [srcName, relation, dstName, ...rest] = etype.split(':');
    const srcType = types.get(srcName);
    const dstType = types.get(dstName);
    if (rest.length > 0 || !relation || !srcType || !dstType) {
      throw new FanoutError('INVALID_ARGUMENT', `edge type ${etype}: write src:relation:dst over the node types`);
    }
    if (!Number.isInteger(m) || m < 0 || m > 0x7fffffff) {
      throw new FanoutError('INVALID_ARGUMENT', `edge type ${etype}: ${m} arcs; give an integer in [0, 2^31 - 1]`);
    }
    const src = new Int32Array(m);
    const dst = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const s = srcType.alias.draw(rng);
      let d = dstType.alias.draw(rng);
      // A self-loop is redrawn, as in the homogeneous generator (when one node can have two ends).
      while (srcType === dstType && d === s && dstType.n > 1) d = dstType.alias.draw(rng);
      src[i] = srcType.permutation[s];
      dst[i] = dstType.permutation[d];
    }
    await store.put(
      `${HETERO_EDGES_PREFIX}${srcName}___${relation}___${dstName}.arrow`,
      edgeTable(src, dst, rng, options),
    );
  }
  const featDim = options.featDim ?? 0;
  const classes = options.classes ?? 0;
  for (const [ntype, { n }] of types) {
    // Every type gets a table, so node types without edges keep their count.
    await store.put(`${HETERO_NODES_PREFIX}${ntype}.arrow`, encodeNodeTable(n, featDim, classes, rng));
  }
  return { nodes: { ...options.ntypes }, edges: { ...options.etypes } };
}

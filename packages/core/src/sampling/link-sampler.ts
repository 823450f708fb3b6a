import { z } from 'zod';
import { FanoutError } from '../errors/index.ts';
import type { DistNeighborSampler, SeedExclusions } from './dist-neighbor-sampler.ts';
import type { HopRequest } from './hop.ts';
import { drawBelow, fmix32, requestKey } from './keyed-random.ts';
import type { SamplingOptionsInput } from './options.ts';
import type { SamplerOutput } from './sampler-output.ts';

/** Negative sampling as PyG's NegativeSampling names it, plus DGL's strict mode. */
export const negSamplingSchema = z
  .object({
    /** `binary`: pairs with both endpoints drawn at random, labelled 0; `triplet`: per positive, destinations drawn. */
    mode: z.enum(['binary', 'triplet']),
    /** Negatives per positive (binary: ceil(amount × positives) in all; triplet: an integer per positive). */
    amount: z.number().positive().max(1000).default(1),
    /** Reject negatives that are edges of the graph, as DGL's global uniform sampler does. */
    strict: z.boolean().default(false),
  })
  .strict();

export type NegSamplingInput = z.input<typeof negSamplingSchema>;

export interface LinkSamplingOptionsInput extends SamplingOptionsInput {
  neg_sampling?: NegSamplingInput;
  /**
   * Keep the positive links out of their own endpoints' neighborhoods (no label leakage), as DGL's exclude='self'
   * and, on undirected graphs, 'reverse_id' do: the arcs src → dst, and dst → src when the graph was symmetrized.
   */
  exclude_seed_edges?: boolean;
  /** Labels of the positive pairs (binary mode: shifted by one, negatives get 0, as PyG does). */
  edge_label?: ArrayLike<number>;
}

/** PyG's link-level SamplerOutput: the node sample of every endpoint, and the pairs in its local indices. */
export interface LinkSamplerOutput extends SamplerOutput {
  /** Binary (or no negatives): 2 × pairs, sources then destinations, as indices into `node`. */
  edgeLabelIndex?: Int32Array;
  edgeLabel?: Float32Array;
  /** Triplet: per positive its source and destination index, and `amount` negative destinations each. */
  srcIndex?: Int32Array;
  dstPosIndex?: Int32Array;
  dstNegIndex?: Int32Array;
  /** Strict mode: negatives it could not find (every draw was an edge); they are left out. */
  negativesMissing: number;
}

/** Draws per negative before strict mode gives up on it. */
const STRICT_ATTEMPTS = 16;

/**
 * Link-level sampling, as PyG's LinkNeighborLoader: positive pairs (original IDs), negatives drawn from the keyed
 * generator in original-ID space (the same for any partitioning), then node sampling from every endpoint, which are
 * the seeds in ascending order (PyG takes them through `unique`), with the pairs rewritten to local indices.
 */
export class LinkNeighborSampler {
  constructor(readonly sampler: DistNeighborSampler) {}

  async sample(
    src: ArrayLike<number>,
    dst: ArrayLike<number>,
    optionsInput: LinkSamplingOptionsInput,
    batchKey = 0,
  ): Promise<LinkSamplerOutput> {
    const { neg_sampling: negInput, edge_label: labelsInput, exclude_seed_edges, ...nodeOptions } = optionsInput;
    const seed = nodeOptions.seed ?? 0; // validated with the rest of the options by the node sampler
    if (src.length !== dst.length || src.length === 0) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `links need as many sources as destinations (${src.length} and ${dst.length}), at least one`,
      );
    }
    if (labelsInput && labelsInput.length !== src.length) {
      throw new FanoutError('INVALID_ARGUMENT', `edge_label has ${labelsInput.length} labels for ${src.length} links`);
    }
    if (nodeOptions.disjoint || nodeOptions.seed_time !== undefined) {
      throw new FanoutError('INVALID_ARGUMENT', 'link sampling here is not disjoint or temporal');
    }
    const parsedNeg = negInput ? negSamplingSchema.safeParse(negInput) : undefined;
    if (parsedNeg && !parsedNeg.success) {
      throw new FanoutError('INVALID_ARGUMENT', `neg_sampling: ${parsedNeg.error.issues[0].message}`);
    }
    const neg = parsedNeg?.data;
    const numNodes = this.sampler.translator.numNodes;
    for (const ids of [src, dst]) {
      for (let i = 0; i < ids.length; i++) {
        if (!Number.isInteger(ids[i]) || ids[i] < 0 || ids[i] >= numNodes) {
          throw new FanoutError('UNKNOWN_NODE', `node ${ids[i]} does not exist (the graph has IDs 0..${numNodes - 1})`);
        }
      }
    }
    const positives = src.length;
    const key = fmix32((requestKey(seed, batchKey, 0x4e47, this.sampler.etypeIndex) ^ 0x6e656721) >>> 0);

    // Negative endpoints, in original IDs: binary pairs, or triplet destinations per positive.
    let negSrc = new Int32Array(0);
    let negDst = new Int32Array(0);
    let missing = 0;
    if (neg) {
      const count = neg.mode === 'binary' ? Math.ceil(neg.amount * positives) : positives * Math.floor(neg.amount);
      if (neg.mode === 'triplet' && !Number.isInteger(neg.amount)) {
        throw new FanoutError(
          'INVALID_ARGUMENT',
          'neg_sampling: triplet amount is a whole number of negatives per positive',
        );
      }
      negSrc = new Int32Array(count);
      negDst = new Int32Array(count);
      const draw = (i: number, attempt: number) => {
        const counter = (attempt * count + i) * 2;
        negSrc[i] = neg.mode === 'binary' ? drawBelow(key, counter, numNodes) : src[Math.floor(i / neg.amount)];
        negDst[i] = drawBelow(key, counter + 1, numNodes);
      };
      for (let i = 0; i < count; i++) draw(i, 0);
      if (neg.strict) {
        const found = new Uint8Array(count);
        let pending = Int32Array.from({ length: count }, (_, i) => i);
        for (let attempt = 1; pending.length > 0; attempt++) {
          const exists = await this.edgesExist(
            Int32Array.from(pending, (i) => negSrc[i]),
            Int32Array.from(pending, (i) => negDst[i]),
          );
          const retry: number[] = [];
          pending.forEach((i, q) => {
            if (!exists[q]) found[i] = 1;
            else if (attempt < STRICT_ATTEMPTS) retry.push(i);
          });
          for (const i of retry) draw(i, attempt);
          pending = Int32Array.from(retry);
        }
        missing = count - found.reduce((a, b) => a + b, 0);
        if (missing > 0) {
          const keep = Int32Array.from({ length: count }, (_, i) => i).filter((i) => found[i]);
          if (neg.mode === 'triplet') {
            throw new FanoutError(
              'LIMIT_EXCEEDED',
              `strict triplet sampling found no non-edge for ${missing} negatives in ${STRICT_ATTEMPTS} draws each (the graph is too dense around those sources)`,
            );
          }
          negSrc = Int32Array.from(keep, (i) => negSrc[i]);
          negDst = Int32Array.from(keep, (i) => negDst[i]);
        }
      }
    }

    // Seeds: every endpoint once, ascending (PyG's unique), and each pair's endpoints as indices into them.
    const all = new Int32Array(2 * positives + negSrc.length + negDst.length);
    all.set(Int32Array.from(src), 0);
    all.set(Int32Array.from(dst), positives);
    all.set(negSrc, 2 * positives);
    all.set(negDst, 2 * positives + negSrc.length);
    const seeds = Int32Array.from(new Set(all)).sort();
    const indexOf = new Map<number, number>();
    seeds.forEach((v, i) => {
      indexOf.set(v, i);
    });
    const local = (ids: Int32Array) => Int32Array.from(ids, (v) => indexOf.get(v)!);

    const srcLocal = local(all.subarray(0, positives));
    const dstLocal = local(all.subarray(positives, 2 * positives));
    const exclusions = exclude_seed_edges ? await this.seedEdges(seeds, srcLocal, dstLocal) : undefined;
    const out: LinkSamplerOutput = {
      ...(await this.sampler.sample(seeds, nodeOptions, batchKey, exclusions)),
      negativesMissing: missing,
    };
    if (neg?.mode === 'triplet') {
      out.srcIndex = srcLocal;
      out.dstPosIndex = dstLocal;
      out.dstNegIndex = local(negDst);
      return out;
    }
    const pairs = positives + negSrc.length;
    out.edgeLabelIndex = new Int32Array(2 * pairs);
    out.edgeLabelIndex.set(srcLocal, 0);
    out.edgeLabelIndex.set(local(negSrc), positives);
    out.edgeLabelIndex.set(dstLocal, pairs);
    out.edgeLabelIndex.set(local(negDst), pairs + positives);
    // Positives are 1 (or their label + 1 under negative sampling), negatives 0, as PyG labels them.
    out.edgeLabel = new Float32Array(pairs);
    for (let i = 0; i < positives; i++) {
      const label = labelsInput ? labelsInput[i] : 0;
      out.edgeLabel[i] = labelsInput && !neg ? label : label + 1;
    }
    return out;
  }

  /**
   * The positive links as exclusions over the seeds: each destination skips its source, and on a symmetrized graph
   * each source skips its destination too (the reverse arc, M + i, or the input edge it coincided with).
   */
  private async seedEdges(seeds: Int32Array, srcLocal: Int32Array, dstLocal: Int32Array): Promise<SeedExclusions> {
    const internal = await this.sampler.translator.toInternal(seeds);
    const lists: number[][] = Array.from({ length: seeds.length }, () => []);
    const both = this.sampler.graph.manifest.undirected;
    for (let i = 0; i < srcLocal.length; i++) {
      lists[dstLocal[i]].push(internal[srcLocal[i]]);
      if (both) lists[srcLocal[i]].push(internal[dstLocal[i]]);
    }
    const offsets = new Int32Array(seeds.length + 1);
    lists.forEach((list, i) => {
      offsets[i + 1] = offsets[i] + list.length;
    });
    return { offsets, neighbors: Int32Array.from(lists.flat()) };
  }

  /** Whether each (src, dst) pair, in original IDs, is an edge: dst's in-edges, fetched through the hop functions. */
  private async edgesExist(src: Int32Array, dst: Int32Array): Promise<Uint8Array> {
    const { sampler } = this;
    const [srcInternal, dstInternal] = await Promise.all([
      sampler.translator.toInternal(src),
      sampler.translator.toInternal(dst),
    ]);
    const dstType = sampler.etype.split(':')[2];
    const byPart = new Map<number, number[]>();
    dstInternal.forEach((v, i) => {
      const p = sampler.graph.partOf(dstType, v);
      byPart.set(p, [...(byPart.get(p) ?? []), i]);
    });
    const exists = new Uint8Array(src.length);
    await Promise.all(
      [...byPart].map(async ([part, indices]) => {
        const request: HopRequest = {
          graph: sampler.graph.uri,
          part,
          etype: sampler.etype,
          etypeIndex: sampler.etypeIndex,
          hop: 0,
          fanout: -1,
          replace: false,
          seed: 0,
          batchKey: 0,
          nodes: Int32Array.from(indices, (i) => dstInternal[i]),
          edgeIds: false,
        };
        const response = await sampler.invoker.invoke(request);
        let at = 0;
        indices.forEach((i, q) => {
          const count = response.counts[q];
          for (let j = at; j < at + count; j++) if (response.nbr[j] === srcInternal[i]) exists[i] = 1;
          at += count;
        });
      }),
    );
    return exists;
  }
}

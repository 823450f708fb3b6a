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
  /**
   * Temporal link sampling (PyG's edge_label_time): one time per positive link. Both endpoints sample only
   * neighbors not newer than their link, negatives taking their positive's time; the sample is disjoint, as in PyG.
   */
  edge_label_time?: ArrayLike<number>;
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
    const {
      neg_sampling: negInput,
      edge_label: labelsInput,
      edge_label_time: times,
      exclude_seed_edges,
      ...nodeOptions
    } = optionsInput;
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
    if (nodeOptions.seed_time !== undefined) {
      throw new FanoutError('INVALID_ARGUMENT', 'link sampling takes its times per link, as edge_label_time');
    }
    if (times && times.length !== src.length) {
      throw new FanoutError('INVALID_ARGUMENT', `edge_label_time has ${times.length} times for ${src.length} links`);
    }
    const disjoint = !!nodeOptions.disjoint || times !== undefined;
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

    const seeds = disjoint
      ? new DisjointLinkSeeds(src, dst, negSrc, negDst, neg?.mode === 'triplet')
      : new UniqueLinkSeeds(src, dst, negSrc, negDst);
    const exclusions = exclude_seed_edges ? await this.seedEdges(seeds.nodes, seeds.src, seeds.dst) : undefined;
    const sampled = await this.sampler.sample(
      seeds.nodes,
      // Each seed's time is its positive link's (disjoint seeds only: times force disjoint sampling).
      { ...nodeOptions, disjoint, seed_time: times && Array.from(seeds.positiveOf, (i) => times[i]) },
      batchKey,
      exclusions,
    );
    // Disjoint: each tree belongs to the positive link whose endpoint (or negative) seeded it, as PyG's batch % P.
    if (sampled.batch) sampled.batch = Int32Array.from(sampled.batch, (row) => seeds.positiveOf[row]);
    const out: LinkSamplerOutput = { ...sampled, negativesMissing: missing };
    const [srcLocal, dstLocal] = [seeds.src, seeds.dst];
    if (neg?.mode === 'triplet') {
      out.srcIndex = srcLocal;
      out.dstPosIndex = dstLocal;
      out.dstNegIndex = seeds.negDst;
      return out;
    }
    const pairs = positives + negSrc.length;
    out.edgeLabelIndex = new Int32Array(2 * pairs);
    out.edgeLabelIndex.set(srcLocal, 0);
    out.edgeLabelIndex.set(seeds.negSrc, positives);
    out.edgeLabelIndex.set(dstLocal, pairs);
    out.edgeLabelIndex.set(seeds.negDst, pairs + positives);
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
        response.release?.();
      }),
    );
    return exists;
  }
}

/**
 * The seeds of a link batch and where each link endpoint sits among them: `src`, `dst` per positive, `negSrc`,
 * `negDst` per negative, as indices into `nodes`; `positiveOf` maps a seed to its positive link.
 */
interface LinkSeeds {
  nodes: Int32Array;
  src: Int32Array;
  dst: Int32Array;
  negSrc: Int32Array;
  negDst: Int32Array;
  /** Disjoint seeds only (else empty). */
  positiveOf: Int32Array;
}

/** Every endpoint once, ascending (PyG takes them through `unique`). */
class UniqueLinkSeeds implements LinkSeeds {
  readonly nodes: Int32Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly negSrc: Int32Array;
  readonly negDst: Int32Array;
  readonly positiveOf = new Int32Array(0);

  constructor(src: ArrayLike<number>, dst: ArrayLike<number>, negSrc: Int32Array, negDst: Int32Array) {
    this.nodes = Int32Array.from(new Set([...Array.from(src), ...Array.from(dst), ...negSrc, ...negDst])).sort();
    const indexOf = new Map<number, number>();
    this.nodes.forEach((v, i) => {
      indexOf.set(v, i);
    });
    const local = (ids: ArrayLike<number>) => Int32Array.from(ids, (v) => indexOf.get(v)!);
    [this.src, this.dst, this.negSrc, this.negDst] = [local(src), local(dst), local(negSrc), local(negDst)];
  }
}

/**
 * Disjoint (and temporal) link sampling, as PyG lays it out: every endpoint seeds its own tree, sources first.
 * Binary: [src, negSrc, dst, negDst], pair i's trees belonging to positive i mod P. Triplet: [src, dst, negDst],
 * each positive's negatives together (negative j belongs to positive floor(j / amount)).
 */
class DisjointLinkSeeds implements LinkSeeds {
  readonly nodes: Int32Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly negSrc: Int32Array;
  readonly negDst: Int32Array;
  readonly positiveOf: Int32Array;

  constructor(
    src: ArrayLike<number>,
    dst: ArrayLike<number>,
    negSrc: Int32Array,
    negDst: Int32Array,
    triplet: boolean,
  ) {
    const p = src.length;
    const range = (from: number, count: number) => Int32Array.from({ length: count }, (_, i) => from + i);
    const sources = triplet ? Int32Array.from(src) : Int32Array.of(...Array.from(src), ...negSrc);
    const pairs = sources.length;
    this.nodes = new Int32Array(pairs + p + negDst.length);
    this.nodes.set(sources, 0);
    this.nodes.set(Int32Array.from(dst), pairs);
    this.nodes.set(negDst, pairs + p);
    this.src = range(0, p);
    this.negSrc = triplet ? new Int32Array(0) : range(p, negSrc.length);
    this.dst = range(pairs, p);
    this.negDst = range(pairs + p, negDst.length);
    const perPositive = negDst.length / p;
    this.positiveOf = Int32Array.from(this.nodes, (_, i) =>
      triplet ? (i < 2 * p ? i % p : Math.floor((i - 2 * p) / perPositive)) : (i % pairs) % p,
    );
  }
}

import type { SampledEdges, SampledNodes } from '../batch-state.ts';
import type { HopPartition, HopResponse } from '../hop.ts';
import type { KernelScratch } from './kernel-scratch.ts';

/** A part descriptor's kinds and size (assembly/sampling-kernel.ts). */
const LOCAL = 1;
const REMOTE = 2;
const DESCRIPTOR_WORDS = 8;

/** One hop as the merge kernel takes it: the frontier range, each position's part, and the parts' sources. */
export interface KernelHop {
  frontier: SampledNodes;
  begin: number;
  end: number;
  /** Part of each frontier position in [begin, end). */
  partOf: Int32Array;
  /** Partitions sampled in this thread, by part. */
  local: (HopPartition | undefined)[];
  /** Every request's response; a part's requests are consecutive, in frontier order. */
  responses: HopResponse[];
  /** The part each response answers for. */
  responseParts: Int32Array;
  /** Index of each part's first response, -1 when it has none. */
  firstResponse: Int32Array;
  k: number;
  replace: boolean;
  edgeIds: boolean;
  /** The hop's request key (keyed-random.ts's requestKey). */
  base: number;
}

/**
 * Merges one uniform, non-disjoint hop with the `mergeHop` kernel: the same edges, in the same order, as
 * HopExpander.merge's JavaScript loop. Returns false, having changed nothing, when something it needs is outside
 * the kernel heap (a partition that did not fit, a batch buffer that did not) or the batch relabels through a
 * hashed table; the caller then merges in JavaScript. Capacity must be reserved.
 */
export function mergeInKernel(
  hop: KernelHop,
  sources: SampledNodes,
  edges: SampledEdges,
  scratch: KernelScratch,
): boolean {
  const { heap } = scratch;
  const table = sources.denseMap;
  if (!table || !heap.holds(table.slots) || !heap.holds(sources.nodes) || !heap.holds(hop.frontier.nodes)) return false;
  if (!heap.holds(edges.row) || !heap.holds(edges.col) || !heap.holds(edges.eidHalves)) return false;
  let maxDegree = 0;
  for (const p of hop.local) {
    if (!p) continue;
    if (!p.kernel) return false;
    maxDegree = Math.max(maxDegree, p.kernel.maxDegree);
  }
  const n = hop.end - hop.begin;
  const numParts = hop.firstResponse.length;
  let words = 0;
  for (const r of hop.responses) words += r.counts.length + r.nbr.length + r.eidLo.length + (r.eidHi?.length ?? 0);
  const partOf = scratch.region('part of', n);
  const parts = scratch.region('parts', DESCRIPTOR_WORDS * numParts);
  const staged = scratch.region('responses', words);
  const picks = scratch.region('picks', Math.max(hop.k, 64));
  const marks = scratch.marks(maxDegree);
  const rowInfo = scratch.rowInfo(n);
  if (!partOf || !parts || !staged || !picks || !marks || !rowInfo) return false;

  partOf.set(hop.partOf.subarray(0, n));
  parts.fill(0, 0, DESCRIPTOR_WORDS * numParts);
  let at = 0;
  /** Copies one array of each of a part's responses, back to back, into the staging area; its heap offset. */
  const stage = (first: number, pick: (r: HopResponse) => Int32Array): number => {
    const offset = staged.byteOffset + 4 * at;
    for (let i = first; i < hop.responses.length && hop.responseParts[i] === hop.responseParts[first]; i++) {
      staged.set(pick(hop.responses[i]), at);
      at += pick(hop.responses[i]).length;
    }
    return offset;
  };
  for (let p = 0; p < numParts; p++) {
    const d = DESCRIPTOR_WORDS * p;
    const partition = hop.local[p];
    const first = hop.firstResponse[p];
    if (partition) {
      parts.set([LOCAL, partition.start, partition.indptr.byteOffset, partition.arcs.byteOffset], d);
      parts.set([partition.eidHi?.byteOffset ?? 0, partition.origIds.byteOffset], d + 4);
    } else if (first >= 0) {
      const wide = hop.responses[first].eidHi !== undefined;
      parts.set([REMOTE, stage(first, (r) => r.counts), stage(first, (r) => r.nbr)], d);
      parts.set([hop.edgeIds ? stage(first, (r) => r.eidLo) : 0, wide ? stage(first, (r) => r.eidHi!) : 0], d + 3);
    }
  }
  const { kernel } = heap;
  kernel.numNodes.value = sources.numNodes;
  edges.numEdges = kernel.mergeHop(
    hop.frontier.nodes.byteOffset,
    hop.begin,
    hop.end,
    partOf.byteOffset,
    parts.byteOffset,
    hop.k,
    hop.replace ? 1 : 0,
    hop.base,
    hop.edgeIds ? 1 : 0,
    table.slots.byteOffset,
    table.tag,
    table.mask,
    sources.nodes.byteOffset,
    edges.row.byteOffset,
    edges.col.byteOffset,
    edges.eidHalves.byteOffset,
    edges.numEdges,
    picks.byteOffset,
    marks.byteOffset,
    4 * marks.length,
    rowInfo.byteOffset,
  );
  sources.numNodes = kernel.numNodes.value;
  return true;
}

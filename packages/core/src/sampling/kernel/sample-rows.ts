import type { HopPartition, HopRequest, HopResponse } from '../hop.ts';
import { requestKey } from '../keyed-random.ts';
import type { KernelScratch } from './kernel-scratch.ts';

/** Whether a request samples uniformly, with no weights, times or exclusions: what the kernels sample. */
export function kernelSamples(request: Pick<HopRequest, 'weighted' | 'cutoff' | 'exclude'>): boolean {
  return !request.weighted && !request.cutoff && !request.exclude;
}

/**
 * A hop function's answer computed by the `sampleRows` kernel, or undefined when the request or the partition is not
 * one the kernel takes (see `kernelSamples`), or the heap has no room for the staging areas. Nodes must be owned
 * by the partition (sampleHop checks). The answer is copied out of the staging areas, or with `inHeap` written into
 * a heap block of its own that the caller frees (`heapBlock`): no copy, and nothing for the garbage collector.
 */
export function sampleRowsInKernel(
  p: HopPartition,
  request: HopRequest,
  slots: number,
  scratch: KernelScratch,
  inHeap = false,
): HopResponse | undefined {
  if (!p.kernel || !kernelSamples(request)) return undefined;
  const { nodes, rows, fanout: k, replace, edgeIds } = request;
  const n = nodes.length;
  const wide = edgeIds && p.eidHi !== undefined;
  const out = inHeap ? answerBlock(scratch, n, slots, edgeIds, wide) : undefined;
  if (inHeap && !out) return undefined;
  const staged = {
    nodes: scratch.region('request nodes', n),
    rows: rows ? scratch.region('request rows', n) : undefined,
    counts: out?.counts ?? scratch.region('counts', n),
    nbr: out?.nbr ?? scratch.region('neighbors', slots),
    lo: edgeIds ? (out?.lo ?? scratch.region('edge IDs', slots)) : undefined,
    hi: wide ? (out?.hi ?? scratch.region('edge ID high words', slots)) : undefined,
    picks: scratch.region('picks', Math.max(k, 64)),
    marks: scratch.marks(p.kernel.maxDegree),
    rowInfo: scratch.rowInfo(n),
  };
  const giveUp = () => {
    if (out) scratch.heap.free(out.block);
    return undefined;
  };
  if (!staged.nodes || !staged.counts || !staged.nbr || !staged.picks || !staged.marks || !staged.rowInfo) {
    return giveUp();
  }
  if ((rows && !staged.rows) || (edgeIds && !staged.lo) || (wide && !staged.hi)) return giveUp();
  staged.nodes.set(nodes);
  if (rows) staged.rows!.set(rows);
  const at = (a: Int32Array | undefined) => a?.byteOffset ?? 0;
  const edges = scratch.heap.kernel.sampleRows(
    p.start,
    p.indptr.byteOffset,
    p.arcs.byteOffset,
    at(p.eidHi),
    p.origIds.byteOffset,
    staged.nodes!.byteOffset,
    at(staged.rows),
    n,
    k,
    replace ? 1 : 0,
    requestKey(request.seed, request.batchKey, request.hop, request.etypeIndex),
    staged.counts!.byteOffset,
    staged.nbr!.byteOffset,
    at(staged.lo),
    at(staged.hi),
    staged.picks!.byteOffset,
    staged.marks!.byteOffset,
    4 * staged.marks!.length,
    staged.rowInfo!.byteOffset,
  );
  const answer = (a: Int32Array, length: number) => (out ? a.subarray(0, length) : a.slice(0, length));
  const response: HopResponse = {
    counts: answer(staged.counts!, n),
    nbr: answer(staged.nbr!, edges),
    eidLo: staged.lo ? answer(staged.lo, edges) : new Int32Array(0),
  };
  if (staged.hi) response.eidHi = answer(staged.hi, edges);
  if (out) response.heapBlock = out.block;
  return response;
}

/** One heap block for a whole answer: counts, then `slots` words for each of neighbors and the edge-ID words. */
function answerBlock(scratch: KernelScratch, n: number, slots: number, edgeIds: boolean, wide: boolean) {
  const block = scratch.heap.int32(n + slots * (1 + (edgeIds ? 1 : 0) + (wide ? 1 : 0)));
  if (!block) return undefined;
  const section = (i: number) => block.subarray(n + i * slots, n + (i + 1) * slots);
  return {
    block: block.byteOffset,
    counts: block.subarray(0, n),
    nbr: section(0),
    lo: edgeIds ? section(1) : undefined,
    hi: wide ? section(2) : undefined,
  };
}

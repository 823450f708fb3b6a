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
 * by the partition (sampleHop checks).
 */
export function sampleRowsInKernel(
  p: HopPartition,
  request: HopRequest,
  slots: number,
  scratch: KernelScratch,
): HopResponse | undefined {
  if (!p.kernel || !kernelSamples(request)) return undefined;
  const { nodes, rows, fanout: k, replace, edgeIds } = request;
  const n = nodes.length;
  const wide = edgeIds && p.eidHi !== undefined;
  const staged = {
    nodes: scratch.region('request nodes', n),
    rows: rows ? scratch.region('request rows', n) : undefined,
    counts: scratch.region('counts', n),
    nbr: scratch.region('neighbors', slots),
    lo: edgeIds ? scratch.region('edge IDs', slots) : undefined,
    hi: wide ? scratch.region('edge ID high words', slots) : undefined,
    picks: scratch.region('picks', Math.max(k, 64)),
    marks: scratch.marks(p.kernel.maxDegree),
  };
  if (!staged.nodes || !staged.counts || !staged.nbr || !staged.picks || !staged.marks) return undefined;
  if ((rows && !staged.rows) || (edgeIds && !staged.lo) || (wide && !staged.hi)) return undefined;
  staged.nodes.set(nodes);
  if (rows) staged.rows!.set(rows);
  const at = (a: Int32Array | undefined) => a?.byteOffset ?? 0;
  const edges = scratch.heap.kernel.sampleRows(
    p.start,
    p.indptr.byteOffset,
    p.nbr.byteOffset,
    p.eidLo.byteOffset,
    at(p.eidHi),
    p.origIds.byteOffset,
    staged.nodes.byteOffset,
    at(staged.rows),
    n,
    k,
    replace ? 1 : 0,
    requestKey(request.seed, request.batchKey, request.hop, request.etypeIndex),
    staged.counts.byteOffset,
    staged.nbr.byteOffset,
    at(staged.lo),
    at(staged.hi),
    staged.picks.byteOffset,
    staged.marks.byteOffset,
    4 * staged.marks.length,
  );
  const response: HopResponse = {
    counts: staged.counts.slice(0, n),
    nbr: staged.nbr.slice(0, edges),
    eidLo: staged.lo ? staged.lo.slice(0, edges) : new Int32Array(0),
  };
  if (staged.hi) response.eidHi = staged.hi.slice(0, edges);
  return response;
}

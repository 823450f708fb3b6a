import { FanoutError } from '../errors/index.ts';
import type { HopResponse } from '../sampling/hop.ts';
import { sharedBuffer } from './shared-memory.ts';

/**
 * A worker thread's answer left in its kernel heap, described by byte offsets into that heap's shared memory: the
 * coordinator reads it in place, so the answer is neither copied into a frame nor transferred, and leaves nothing
 * for either thread's garbage collector. The block stays the worker's until the coordinator gives it back.
 */
export interface SharedAnswer {
  /** The heap block holding every array: freed by the worker when the coordinator gives it back. */
  block: number;
  nodes: number;
  edges: number;
  counts: number;
  nbr: number;
  /** 0 when the array is absent. */
  eidLo: number;
  eidHi: number;
}

/** The worker's side: the offsets of an answer sampled into the heap block at `block`. */
export function describeAnswer(response: HopResponse, block: number): SharedAnswer {
  return {
    block,
    nodes: response.counts.length,
    edges: response.nbr.length,
    counts: response.counts.byteOffset,
    nbr: response.nbr.byteOffset,
    eidLo: response.eidLo.length > 0 ? response.eidLo.byteOffset : 0,
    eidHi: response.eidHi ? response.eidHi.byteOffset : 0,
  };
}

/**
 * The coordinator's side: the answer as views of the worker's memory (checked to lie inside it), with `release`
 * calling `giveBack` once. The views must not be read after `release`.
 */
export function readAnswer(memory: WebAssembly.Memory, d: SharedAnswer, giveBack: () => void): HopResponse {
  const view = (at: number, length: number) => {
    if (at % 4 !== 0) throw new FanoutError('TRANSPORT_ERROR', `a hop worker's answer is misaligned (${at})`);
    return new Int32Array(sharedBuffer(memory, at, 4 * length, "a hop worker's answer"), at, length);
  };
  let released = false;
  const response: HopResponse = {
    counts: view(d.counts, d.nodes),
    nbr: view(d.nbr, d.edges),
    eidLo: d.eidLo ? view(d.eidLo, d.edges) : new Int32Array(0),
    release: () => {
      if (released) return;
      released = true;
      giveBack();
    },
  };
  if (d.eidHi) response.eidHi = view(d.eidHi, d.edges);
  return response;
}

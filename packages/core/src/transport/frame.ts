import { type ErrorCode, FanoutError } from '../errors/index.ts';
import type { HopRequest, HopResponse } from '../sampling/hop.ts';

/**
 * The binary frames hop requests and responses travel in over every transport that leaves the thread (worker
 * messages, Lambda payloads, HTTP bodies): a fixed little-endian header, then packed Int32 arrays, each 8-byte
 * aligned so the receiver reads them as views without copying. Never JSON number arrays.
 *
 * Request:  magic 'FHQ1', flags (1 replace, 2 rows, 4 edge IDs, 8 weighted, 16 cutoffs, 32 latest first, 64 exclusions,
 *           128 by node time), part, hop, etype index, fanout, seed, batch key,
 *           node count, graph URI length, edge type length, excluded count; then graph URI and edge type (UTF-8), nodes,
 *           [rows], [Int64 temporal cutoffs], [exclusion offsets (nodes + 1) and excluded neighbors].
 * Response: magic 'FHR1', node count, neighbor count, edge-ID words (0, 1 or 2); then counts, neighbors, [edge-ID low
 *           halves], [high halves: only when some ID is ≥ 2^31].
 * Error:    magic 'FHE1', then a UTF-8 JSON {code, message}.
 */
const REQUEST_MAGIC = 0x31514846; // 'FHQ1'
const RESPONSE_MAGIC = 0x31524846; // 'FHR1'
const ERROR_MAGIC = 0x31454846; // 'FHE1'
const REQUEST_HEADER = 48;
const RESPONSE_HEADER = 16;
const FLAG_REPLACE = 1;
const FLAG_ROWS = 2;
const FLAG_EDGE_IDS = 4;
const FLAG_WEIGHTED = 8;
const FLAG_CUTOFF = 16;
const FLAG_LATEST = 32;
const FLAG_EXCLUDE = 64;
const FLAG_NODE_TIME = 128;

const align8 = (n: number) => (n + 7) & ~7;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Section offsets of a request frame. */
function requestLayout(stringBytes: number, nodes: number, rows: boolean, cutoff: boolean, excluded: number) {
  const nodesAt = align8(REQUEST_HEADER + stringBytes);
  const rowsAt = align8(nodesAt + 4 * nodes);
  const cutoffAt = rows ? align8(rowsAt + 4 * nodes) : rowsAt;
  const excludeAt = cutoff ? cutoffAt + 8 * nodes : cutoffAt;
  const excludedAt = align8(excludeAt + 4 * (nodes + 1));
  const size = excluded >= 0 ? align8(excludedAt + 4 * excluded) : excludeAt;
  return { nodesAt, rowsAt, cutoffAt, excludeAt, excludedAt, size };
}

/** Excluded neighbors a request carries, or -1 when it has no exclusion section. */
function excludedCount(r: HopRequest): number {
  return r.exclude ? r.exclude.neighbors.length : -1;
}

/** The size of a request's frame, for accounting and payload limits, without encoding it. */
export function requestFrameBytes(r: HopRequest): number {
  const strings = encoder.encode(r.graph).length + encoder.encode(r.etype).length;
  return requestLayout(strings, r.nodes.length, !!r.rows, !!r.cutoff, excludedCount(r)).size;
}

export function encodeRequest(r: HopRequest): ArrayBuffer {
  const buffer = new ArrayBuffer(requestFrameBytes(r));
  encodeRequestInto(r, new Uint8Array(buffer));
  return buffer;
}

/**
 * Writes a request's frame into `frame`, exactly `requestFrameBytes(r)` long and 8-byte aligned (memory shared with a
 * worker thread, say, instead of a buffer of its own).
 */
export function encodeRequestInto(r: HopRequest, frame: Uint8Array): void {
  const graph = encoder.encode(r.graph);
  const etype = encoder.encode(r.etype);
  const n = r.nodes.length;
  const stringsAt = REQUEST_HEADER;
  const layout = requestLayout(graph.length + etype.length, n, !!r.rows, !!r.cutoff, excludedCount(r));
  const { nodesAt, rowsAt, cutoffAt, size } = layout;
  if (frame.byteLength !== size || frame.byteOffset % 8 !== 0) {
    throw new RangeError(
      `a ${size}-byte request frame cannot go into ${frame.byteLength} bytes at ${frame.byteOffset}`,
    );
  }
  const { buffer, byteOffset: at } = frame;
  const view = new DataView(buffer, at, size);
  view.setUint32(0, REQUEST_MAGIC, true);
  view.setUint32(
    4,
    (r.replace ? FLAG_REPLACE : 0) |
      (r.rows ? FLAG_ROWS : 0) |
      (r.edgeIds ? FLAG_EDGE_IDS : 0) |
      (r.weighted ? FLAG_WEIGHTED : 0) |
      (r.cutoff ? FLAG_CUTOFF : 0) |
      (r.latest ? FLAG_LATEST : 0) |
      (r.exclude ? FLAG_EXCLUDE : 0) |
      (r.byNodeTime ? FLAG_NODE_TIME : 0),
    true,
  );
  view.setUint32(8, r.part, true);
  view.setInt32(12, r.hop, true);
  view.setUint32(16, r.etypeIndex, true);
  view.setInt32(20, r.fanout, true);
  view.setUint32(24, r.seed, true);
  view.setUint32(28, r.batchKey, true);
  view.setUint32(32, n, true);
  view.setUint32(36, graph.length, true);
  view.setUint32(40, etype.length, true);
  view.setUint32(44, Math.max(0, excludedCount(r)), true);
  frame.set(graph, stringsAt);
  frame.set(etype, stringsAt + graph.length);
  new Int32Array(buffer, at + nodesAt, n).set(r.nodes);
  if (r.rows) new Int32Array(buffer, at + rowsAt, n).set(r.rows);
  if (r.cutoff) new BigInt64Array(buffer, at + cutoffAt, n).set(r.cutoff);
  if (r.exclude) {
    new Int32Array(buffer, at + layout.excludeAt, n + 1).set(r.exclude.offsets);
    new Int32Array(buffer, at + layout.excludedAt, r.exclude.neighbors.length).set(r.exclude.neighbors);
  }
}

/** Reads a request frame: a buffer of its own, or bytes of a larger one (8-byte aligned). Arrays are views. */
export function decodeRequest(frame: ArrayBuffer | Uint8Array): HopRequest {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  const { buffer, byteOffset: at, byteLength } = bytes;
  const view = checkedView(bytes, REQUEST_MAGIC, REQUEST_HEADER, 'request');
  const flags = view.getUint32(4, true);
  const n = view.getUint32(32, true);
  const graphLength = view.getUint32(36, true);
  const etypeLength = view.getUint32(40, true);
  const hasRows = (flags & FLAG_ROWS) !== 0;
  const hasCutoff = (flags & FLAG_CUTOFF) !== 0;
  const excluded = flags & FLAG_EXCLUDE ? view.getUint32(44, true) : -1;
  const layout = requestLayout(graphLength + etypeLength, n, hasRows, hasCutoff, excluded);
  if (byteLength !== layout.size) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `hop request frame is ${byteLength} bytes; its header describes ${layout.size}`,
    );
  }
  if (at % 8 !== 0) throw new FanoutError('INVALID_ARGUMENT', 'hop request frame is not 8-byte aligned');
  const request: HopRequest = {
    graph: decoder.decode(bytes.subarray(REQUEST_HEADER, REQUEST_HEADER + graphLength)),
    etype: decoder.decode(bytes.subarray(REQUEST_HEADER + graphLength, REQUEST_HEADER + graphLength + etypeLength)),
    part: view.getUint32(8, true),
    hop: view.getInt32(12, true),
    etypeIndex: view.getUint32(16, true),
    fanout: view.getInt32(20, true),
    seed: view.getUint32(24, true),
    batchKey: view.getUint32(28, true),
    replace: (flags & FLAG_REPLACE) !== 0,
    edgeIds: (flags & FLAG_EDGE_IDS) !== 0,
    weighted: (flags & FLAG_WEIGHTED) !== 0,
    nodes: new Int32Array(buffer, at + layout.nodesAt, n),
    rows: hasRows ? new Int32Array(buffer, at + layout.rowsAt, n) : undefined,
  };
  if (hasCutoff) {
    request.cutoff = new BigInt64Array(buffer, at + layout.cutoffAt, n);
    request.latest = (flags & FLAG_LATEST) !== 0;
    if (flags & FLAG_NODE_TIME) request.byNodeTime = true;
  }
  if (excluded >= 0) {
    const offsets = new Int32Array(buffer, at + layout.excludeAt, n + 1);
    if (offsets[0] !== 0 || offsets[n] !== excluded || offsets.some((o, i) => i > 0 && o < offsets[i - 1])) {
      throw new FanoutError('INVALID_ARGUMENT', 'hop request frame has malformed exclusion offsets');
    }
    request.exclude = { offsets, neighbors: new Int32Array(buffer, at + layout.excludedAt, excluded) };
  }
  return request;
}

/** 32-bit edge-ID words per edge a response carries: 0 (none asked), 1 (low halves) or 2 (low and high). */
export type EdgeIdWords = 0 | 1 | 2;

export function edgeIdWords(r: HopResponse): EdgeIdWords {
  return r.eidHi ? 2 : r.eidLo.length > 0 ? 1 : 0;
}

/** Section offsets of a response frame. */
function responseLayout(nodes: number, edges: number, words: EdgeIdWords) {
  const nbrAt = align8(RESPONSE_HEADER + 4 * nodes);
  const loAt = align8(nbrAt + 4 * edges);
  const hiAt = align8(loAt + 4 * edges);
  return { nbrAt, loAt, hiAt, size: words === 0 ? loAt : words === 1 ? hiAt : align8(hiAt + 4 * edges) };
}

/** The size of a response's frame without encoding it. */
export function responseFrameBytes(nodes: number, edges: number, words: EdgeIdWords): number {
  return responseLayout(nodes, edges, words).size;
}

/**
 * The longest prefix of a response, by request node, whose frame fits `maxBytes` (views, no copies): how a function
 * whose answer would pass its transport's payload limit answers part of the request. The caller asks again for the
 * rest; the determinism contract makes the parts equal to the whole. Fails only when the first node alone is too big.
 */
export function truncateResponse(r: HopResponse, maxBytes: number): HopResponse {
  const words = edgeIdWords(r);
  if (responseFrameBytes(r.counts.length, r.nbr.length, words) <= maxBytes) return r;
  let nodes = 0;
  let edges = 0;
  while (nodes < r.counts.length && responseFrameBytes(nodes + 1, edges + r.counts[nodes], words) <= maxBytes) {
    edges += r.counts[nodes++];
  }
  if (nodes === 0) {
    throw new FanoutError(
      'LIMIT_EXCEEDED',
      `one node's ${r.counts[0]} sampled neighbors pass the ${maxBytes}-byte response limit; use a smaller fanout than -1 for it`,
    );
  }
  const out: HopResponse = {
    counts: r.counts.subarray(0, nodes),
    nbr: r.nbr.subarray(0, edges),
    eidLo: words > 0 ? r.eidLo.subarray(0, edges) : r.eidLo,
  };
  if (r.eidHi) out.eidHi = r.eidHi.subarray(0, edges);
  return out;
}

export function encodeResponse(r: HopResponse): ArrayBuffer {
  const n = r.counts.length;
  const edges = r.nbr.length;
  const words = edgeIdWords(r);
  const layout = responseLayout(n, edges, words);
  const buffer = new ArrayBuffer(layout.size);
  const view = new DataView(buffer);
  view.setUint32(0, RESPONSE_MAGIC, true);
  view.setUint32(4, n, true);
  view.setUint32(8, edges, true);
  view.setUint32(12, words, true);
  new Int32Array(buffer, RESPONSE_HEADER, n).set(r.counts);
  new Int32Array(buffer, layout.nbrAt, edges).set(r.nbr);
  if (words > 0) new Int32Array(buffer, layout.loAt, edges).set(r.eidLo);
  if (r.eidHi) new Int32Array(buffer, layout.hiAt, edges).set(r.eidHi);
  return buffer;
}

export function decodeResponse(buffer: ArrayBuffer): HopResponse {
  const view = new DataView(buffer);
  if (buffer.byteLength >= 4 && view.getUint32(0, true) === ERROR_MAGIC) throw decodeError(buffer);
  checkedView(buffer, RESPONSE_MAGIC, RESPONSE_HEADER, 'response');
  const n = view.getUint32(4, true);
  const edges = view.getUint32(8, true);
  const words = view.getUint32(12, true);
  if (words > 2) throw new FanoutError('TRANSPORT_ERROR', `hop response frame has ${words} edge-ID words per edge`);
  const layout = responseLayout(n, edges, words as EdgeIdWords);
  if (buffer.byteLength !== layout.size) {
    throw new FanoutError(
      'TRANSPORT_ERROR',
      `hop response frame is ${buffer.byteLength} bytes; its header describes ${layout.size}`,
    );
  }
  const out: HopResponse = {
    counts: new Int32Array(buffer, RESPONSE_HEADER, n),
    nbr: new Int32Array(buffer, layout.nbrAt, edges),
    eidLo: new Int32Array(buffer, layout.loAt, words > 0 ? edges : 0),
  };
  if (words === 2) out.eidHi = new Int32Array(buffer, layout.hiAt, edges);
  return out;
}

/** A typed error as a frame, so the caller re-raises it with its code. */
export function encodeError(error: unknown): ArrayBuffer {
  const payload =
    error instanceof FanoutError
      ? { code: error.code, message: error.message }
      : { code: 'TRANSPORT_ERROR', message: `hop function failed: ${(error as Error)?.message ?? String(error)}` };
  const json = encoder.encode(JSON.stringify(payload));
  const buffer = new ArrayBuffer(4 + json.length);
  new DataView(buffer).setUint32(0, ERROR_MAGIC, true);
  new Uint8Array(buffer, 4).set(json);
  return buffer;
}

function decodeError(buffer: ArrayBuffer): FanoutError {
  try {
    const { code, message } = JSON.parse(decoder.decode(new Uint8Array(buffer, 4))) as {
      code: ErrorCode;
      message: string;
    };
    return new FanoutError(code, message);
  } catch {
    return new FanoutError('TRANSPORT_ERROR', 'hop function returned an unreadable error frame');
  }
}

function checkedView(frame: ArrayBuffer | Uint8Array, magic: number, header: number, what: string): DataView {
  const view =
    frame instanceof Uint8Array ? new DataView(frame.buffer, frame.byteOffset, frame.byteLength) : new DataView(frame);
  if (view.byteLength < header || view.getUint32(0, true) !== magic) {
    throw new FanoutError(what === 'request' ? 'INVALID_ARGUMENT' : 'TRANSPORT_ERROR', `not a hop ${what} frame`);
  }
  return view;
}

const PACK_MAGIC = 0x314d4846; // 'FHM1'

/**
 * Several frames in one body, for transports that carry bytes (HTTP): magic 'FHM1', count, each frame's length, then
 * the frames, each starting 8-byte aligned.
 */
export function packFrames(frames: ArrayBuffer[]): ArrayBuffer {
  let at = align8(8 + 4 * frames.length);
  const offsets = frames.map((f) => {
    const offset = at;
    at = align8(at + f.byteLength);
    return offset;
  });
  const buffer = new ArrayBuffer(at);
  const view = new DataView(buffer);
  view.setUint32(0, PACK_MAGIC, true);
  view.setUint32(4, frames.length, true);
  frames.forEach((f, i) => {
    view.setUint32(8 + 4 * i, f.byteLength, true);
    new Uint8Array(buffer, offsets[i], f.byteLength).set(new Uint8Array(f));
  });
  return buffer;
}

/** The frames of a packed body, each in its own buffer. */
export function unpackFrames(buffer: ArrayBuffer): ArrayBuffer[] {
  const view = new DataView(buffer);
  const bad = () => new FanoutError('INVALID_ARGUMENT', 'not a packed frames body');
  if (buffer.byteLength < 8 || view.getUint32(0, true) !== PACK_MAGIC) throw bad();
  const count = view.getUint32(4, true);
  if (8 + 4 * count > buffer.byteLength) throw bad();
  const frames: ArrayBuffer[] = [];
  let at = align8(8 + 4 * count);
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(8 + 4 * i, true);
    if (at + length > buffer.byteLength) throw bad();
    frames.push(buffer.slice(at, at + length));
    at = align8(at + length);
  }
  return frames;
}

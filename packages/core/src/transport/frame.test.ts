import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FanoutError, isFanoutError } from '../errors/index.ts';
import type { HopRequest } from '../sampling/hop.ts';
import {
  decodeRequest,
  decodeResponse,
  encodeError,
  encodeRequest,
  encodeRequestInto,
  encodeResponse,
  requestFrameBytes,
} from './frame.ts';

const request: HopRequest = {
  graph: 's3://bucket/graphs/ünïcode/manifest.json',
  part: 3,
  etype: 'author:writes:paper',
  etypeIndex: 2,
  hop: 1,
  fanout: -1,
  replace: true,
  seed: 0xfffffffe,
  batchKey: 12345,
  nodes: Int32Array.from([5, 6, 7]),
  rows: Int32Array.from([0, 0, 2]),
  edgeIds: true,
  weighted: true,
};

test('requests and responses round-trip as packed frames, arrays 8-byte aligned', () => {
  const decoded = decodeRequest(encodeRequest(request));
  assert.deepEqual(
    { ...decoded, nodes: [...decoded.nodes], rows: [...decoded.rows!] },
    { ...request, nodes: [5, 6, 7], rows: [0, 0, 2] },
  );
  assert.equal(decoded.nodes.byteOffset % 8, 0);
  const noRows = decodeRequest(encodeRequest({ ...request, rows: undefined, edgeIds: false, weighted: false }));
  assert.equal(noRows.rows, undefined);
  assert.equal(noRows.edgeIds, false);
  assert.equal(noRows.weighted, false);
  const temporal = decodeRequest(
    encodeRequest({ ...request, cutoff: BigInt64Array.from([5n, -3n, 2n ** 40n]), latest: true, byNodeTime: true }),
  );
  assert.deepEqual([...temporal.cutoff!], [5n, -3n, 2n ** 40n]);
  assert.equal(temporal.latest, true);
  assert.equal(temporal.byNodeTime, true);

  const response = {
    counts: Int32Array.from([2, 0, 1]),
    nbr: Int32Array.from([9, 8, 7]),
    eidLo: Int32Array.from([1, 2, -1]),
    eidHi: Int32Array.from([0, 0, 1]),
  };
  const back = decodeResponse(encodeResponse(response));
  assert.deepEqual(
    [back.counts, back.nbr, back.eidLo, back.eidHi!].map((a) => [...a]),
    [
      [2, 0, 1],
      [9, 8, 7],
      [1, 2, -1],
      [0, 0, 1],
    ],
  );
  // Edge IDs below 2^31 travel as one word each; without edge IDs, none.
  const narrow = decodeResponse(encodeResponse({ ...response, eidHi: undefined }));
  assert.deepEqual([...narrow.eidLo], [1, 2, -1]);
  assert.equal(narrow.eidHi, undefined);
  const bare = decodeResponse(encodeResponse({ counts: response.counts, nbr: response.nbr, eidLo: new Int32Array(0) }));
  assert.equal(bare.eidLo.length, 0);
});

test('a request frame can live inside shared memory, at an aligned offset, and is read there in place', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const bytes = requestFrameBytes(request);
  const frame = new Uint8Array(memory.buffer, 64, bytes);
  encodeRequestInto(request, frame);
  assert.deepEqual(
    new Uint8Array(frame),
    new Uint8Array(encodeRequest(request)),
    'the same bytes as a frame of its own',
  );
  const decoded = decodeRequest(frame);
  assert.equal(decoded.nodes.buffer, memory.buffer, 'nodes are a view, not a copy');
  assert.deepEqual([...decoded.nodes], [5, 6, 7]);
  assert.equal(decoded.graph, request.graph);
  assert.throws(() => encodeRequestInto(request, new Uint8Array(memory.buffer, 68, bytes)), RangeError);
  assert.throws(() => encodeRequestInto(request, new Uint8Array(memory.buffer, 64, bytes + 8)), RangeError);
  assert.throws(
    () => decodeRequest(new Uint8Array(memory.buffer, 64, bytes - 8)),
    (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
  );
});

test('typed errors cross the wire with their code', () => {
  assert.throws(
    () => decodeResponse(encodeError(new FanoutError('NOT_FOUND', 'no object part-1/graph'))),
    (e) => isFanoutError(e, 'NOT_FOUND') && /part-1/.test(e.message),
  );
  assert.throws(
    () => decodeResponse(encodeError(new Error('boom'))),
    (e) => isFanoutError(e, 'TRANSPORT_ERROR') && /boom/.test(e.message),
  );
});

test('malformed frames are rejected, never misread', () => {
  const frame = encodeRequest(request);
  assert.throws(
    () => decodeRequest(frame.slice(0, frame.byteLength - 8)),
    (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
  );
  assert.throws(
    () => decodeRequest(new ArrayBuffer(10)),
    (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
  );
  const response = encodeResponse({
    counts: Int32Array.from([1]),
    nbr: Int32Array.from([4]),
    eidLo: new Int32Array(0),
  });
  assert.throws(
    () => decodeResponse(response.slice(0, 16)),
    (e) => isFanoutError(e, 'TRANSPORT_ERROR'),
  );
  assert.throws(
    () => decodeResponse(frame),
    (e) => isFanoutError(e, 'TRANSPORT_ERROR'),
  );
});

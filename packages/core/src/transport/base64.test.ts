import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FanoutError } from '../errors/index.ts';
import { base64Length, decodeBase64, encodeBase64Into } from './base64.ts';
import { framesPayloadBytes, fromFramesPayloadBytes } from './frame-payload.ts';

/** Bytes that are not all alike, so a misplaced chunk shows. */
function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const encode = (b: Uint8Array) => {
  const out = Buffer.alloc(base64Length(b.length));
  assert.equal(encodeBase64Into(b, out, 0), out.length);
  return out;
};

describe('base64 between byte arrays', () => {
  it('encodes as Buffer does, at every tail length and across chunk boundaries', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100, 12_287, 12_288, 12_289, 40_000, 1_000_001]) {
      const b = bytes(n, n + 1);
      assert.equal(encode(b).toString('latin1'), Buffer.from(b).toString('base64'), `${n} bytes`);
    }
  });

  it('decodes what it encodes, into an ArrayBuffer of its own', () => {
    for (const n of [0, 1, 2, 3, 16_383, 16_384, 16_385, 1_000_001]) {
      const b = bytes(n, n + 7);
      const decoded = decodeBase64(encode(b));
      assert.ok(decoded instanceof ArrayBuffer);
      assert.deepEqual(new Uint8Array(decoded), b, `${n} bytes`);
    }
  });

  it('decodes a span of a larger buffer, and writes at an offset', () => {
    const b = bytes(1000);
    const out = Buffer.alloc(base64Length(b.length) + 10, 0x2e);
    const end = encodeBase64Into(b, out, 5);
    assert.equal(out[4], 0x2e);
    assert.equal(out[end], 0x2e);
    assert.deepEqual(new Uint8Array(decodeBase64(out, 5, end)!), b);
  });

  it('refuses what is not padded base64 rather than skipping it', () => {
    const good = encode(bytes(30_000));
    const withSpace = Buffer.from(good);
    withSpace[20_000] = 0x20;
    assert.equal(decodeBase64(withSpace), null);
    assert.equal(decodeBase64(Buffer.from('QUJD=EFG')), null, 'padding inside');
    assert.equal(decodeBase64(Buffer.from('QUJDR')), null, 'a length not a multiple of 4');
    assert.equal(decodeBase64(Buffer.from('QUJDRA')), null, 'no padding');
    assert.deepEqual(Buffer.from(decodeBase64(Buffer.from('QUJDRA=='))!).toString(), 'ABCD');
  });
});

describe('frames payloads', () => {
  it('round-trips frames through the JSON envelope, and the envelope is plain JSON', () => {
    const frames = [bytes(0), bytes(1), bytes(70_001, 3), bytes(8, 4)].map((b) => b.slice().buffer);
    const payload = framesPayloadBytes(frames);
    const json = JSON.parse(Buffer.from(payload).toString('utf8')) as { frames: string[] };
    assert.deepEqual(
      json.frames,
      frames.map((f) => Buffer.from(f).toString('base64')),
    );
    const back = fromFramesPayloadBytes(payload, 'test');
    assert.deepEqual(
      back.map((f) => new Uint8Array(f)),
      frames.map((f) => new Uint8Array(f)),
    );
  });

  it('reads other spellings of the same JSON, and answers a corrupt frame with a transport error', () => {
    const frame = bytes(99).slice().buffer;
    const spaced = Buffer.from(JSON.stringify({ frames: [Buffer.from(frame).toString('base64')] }, null, 1));
    assert.deepEqual(new Uint8Array(fromFramesPayloadBytes(spaced, 'test')[0]), new Uint8Array(frame));
    const corrupt = Buffer.from(`{"frames":["${Buffer.from(frame).toString('base64').replace('A', '*')}"]}`);
    assert.throws(
      () => fromFramesPayloadBytes(corrupt, 'hop function f'),
      (e: unknown) => e instanceof FanoutError && e.code === 'TRANSPORT_ERROR' && /hop function f/.test(e.message),
    );
  });
});

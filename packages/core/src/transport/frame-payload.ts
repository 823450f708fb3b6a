import { z } from 'zod';
import { FanoutError } from '../errors/index.ts';
import { base64Length, decodeBase64, decodeBase64String, encodeBase64Into } from './base64.ts';

/**
 * The JSON envelope frames travel in where the transport carries JSON only (Lambda payloads):
 * `{"frames": [base64, …]}`, one frame per hop request (or response) the call carries. Bulk data stays packed binary
 * frames; base64 costs 4 bytes per 3, far less than JSON number arrays.
 */
const payloadSchema = z.object({ frames: z.array(z.string()).min(1).max(4096) });

const PREFIX = Buffer.from('{"frames":["');
const SEPARATOR = Buffer.from('","');
const SUFFIX = Buffer.from('"]}');

export interface FramesPayload {
  frames: string[];
}

export function toFramesPayload(frames: ArrayBuffer[]): FramesPayload {
  return { frames: frames.map((f) => Buffer.from(f).toString('base64')) };
}

/**
 * The payload's JSON bytes, written directly: base64 needs no escaping, so there is nothing for JSON.stringify to do,
 * and encoding into the bytes skips a string per frame.
 */
export function framesPayloadBytes(frames: ArrayBuffer[]): Uint8Array {
  let size = PREFIX.length + SUFFIX.length + SEPARATOR.length * (frames.length - 1);
  for (const f of frames) size += base64Length(f.byteLength);
  const out = Buffer.allocUnsafe(size);
  let at = PREFIX.copy(out, 0);
  frames.forEach((f, i) => {
    if (i > 0) at += SEPARATOR.copy(out, at);
    at = encodeBase64Into(new Uint8Array(f), out, at);
  });
  SUFFIX.copy(out, at);
  return out;
}

/**
 * The frames in a payload's JSON bytes. A payload as the hop handler writes it (`{"frames":["…","…"]}`, no
 * whitespace) is decoded straight from the bytes, skipping UTF-8 decoding, JSON parsing and a string of megabytes of
 * base64 per frame; any other spelling of the same JSON goes the general way.
 */
export function fromFramesPayloadBytes(bytes: Uint8Array, source: string): ArrayBuffer[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const plain =
    b.length >= PREFIX.length + SUFFIX.length &&
    b.subarray(0, PREFIX.length).equals(PREFIX) &&
    b.subarray(b.length - SUFFIX.length).equals(SUFFIX) &&
    !b.includes(0x5c); // no escapes anywhere
  if (!plain) return fromFramesPayload(b.toString('utf8'), source);
  const frames: ArrayBuffer[] = [];
  const end = b.length - SUFFIX.length;
  let at = PREFIX.length;
  for (;;) {
    const quote = b.indexOf(0x22, at); // '"' ends this frame's base64
    const stop = quote < 0 || quote > end ? end : quote;
    const frame = decodeBase64(b, at, stop);
    if (!frame) throw new FanoutError('TRANSPORT_ERROR', `${source}: a frame is not base64`);
    frames.push(frame);
    if (stop === end) break;
    if (!b.subarray(stop, stop + SEPARATOR.length).equals(SEPARATOR)) {
      return fromFramesPayload(b.toString('utf8'), source);
    }
    at = stop + SEPARATOR.length;
  }
  return frames;
}

/** The frames in a payload (an object or its JSON text), each copied into its own 8-byte-aligned buffer. */
export function fromFramesPayload(payload: unknown, source: string): ArrayBuffer[] {
  let json = payload;
  if (typeof payload === 'string') {
    try {
      json = JSON.parse(payload);
    } catch {
      throw new FanoutError('TRANSPORT_ERROR', `${source}: the payload is not JSON`);
    }
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) {
    throw new FanoutError('INVALID_ARGUMENT', `${source}: a hop payload is {"frames": ["<base64 frame>", …]}`);
  }
  return parsed.data.frames.map(decodeBase64String);
}

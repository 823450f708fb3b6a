import { z } from 'zod';
import { FanoutError } from '../errors/index.ts';

/**
 * The JSON envelope a frame travels in where the transport carries JSON only (Lambda payloads): `{"frame": base64}`.
 * Bulk data stays a packed binary frame; base64 costs 4 bytes per 3, far less than JSON number arrays.
 */
const payloadSchema = z.object({ frame: z.string().max(8_000_000) });

const PREFIX = Buffer.from('{"frame":"');
const SUFFIX = Buffer.from('"}');

export interface FramePayload {
  frame: string;
}

export function toFramePayload(frame: ArrayBuffer): FramePayload {
  return { frame: Buffer.from(frame).toString('base64') };
}

/** The payload's JSON bytes, written directly: base64 needs no escaping, so there is nothing for JSON.stringify to do. */
export function framePayloadBytes(frame: ArrayBuffer): Uint8Array {
  const base64 = Buffer.from(frame).toString('base64');
  const out = Buffer.allocUnsafe(PREFIX.length + base64.length + SUFFIX.length);
  PREFIX.copy(out, 0);
  out.write(base64, PREFIX.length, 'latin1');
  SUFFIX.copy(out, PREFIX.length + base64.length);
  return out;
}

/**
 * The frame in a payload's JSON bytes. A payload as the hop handler writes it (`{"frame":"…"}`, no whitespace) is read
 * straight from the bytes, skipping UTF-8 decoding and JSON parsing of megabytes of base64; any other spelling of
 * the same JSON goes the general way.
 */
export function fromFramePayloadBytes(bytes: Uint8Array, source: string): ArrayBuffer {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const inner = b.subarray(PREFIX.length, b.length - SUFFIX.length);
  const plain =
    b.length >= PREFIX.length + SUFFIX.length &&
    b.subarray(0, PREFIX.length).equals(PREFIX) &&
    b.subarray(b.length - SUFFIX.length).equals(SUFFIX) &&
    !inner.includes(0x22) && // '"'
    !inner.includes(0x5c); // '\\'
  if (!plain) return fromFramePayload(b.toString('utf8'), source);
  return alignedCopy(Buffer.from(inner.toString('latin1'), 'base64'));
}

/** The frame in a payload (an object or its JSON text), copied into its own 8-byte-aligned buffer. */
export function fromFramePayload(payload: unknown, source: string): ArrayBuffer {
  let json = payload;
  if (typeof payload === 'string') {
    try {
      json = JSON.parse(payload);
    } catch {
      throw new FanoutError('TRANSPORT_ERROR', `${source} returned a payload that is not JSON`);
    }
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) {
    throw new FanoutError('INVALID_ARGUMENT', `${source}: a hop payload is {"frame": "<base64 frame>"}`);
  }
  return alignedCopy(Buffer.from(parsed.data.frame, 'base64'));
}

/** Node's decoded Buffers may sit at any offset of a shared pool; frames are read through Int32Array views. */
function alignedCopy(bytes: Uint8Array): ArrayBuffer {
  const frame = new ArrayBuffer(bytes.length);
  new Uint8Array(frame).set(bytes);
  return frame;
}

import { z } from 'zod';
import { FanoutError } from '../errors/index.ts';

/**
 * The JSON envelope a frame travels in where the transport carries JSON only (Lambda payloads): `{"frame": base64}`.
 * Bulk data stays a packed binary frame; base64 costs 4 bytes per 3, far less than JSON number arrays.
 */
const payloadSchema = z.object({ frame: z.string().max(8_000_000) });

export interface FramePayload {
  frame: string;
}

export function toFramePayload(frame: ArrayBuffer): FramePayload {
  return { frame: Buffer.from(frame).toString('base64') };
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
  const bytes = Buffer.from(parsed.data.frame, 'base64');
  const frame = new ArrayBuffer(bytes.length);
  new Uint8Array(frame).set(bytes);
  return frame;
}

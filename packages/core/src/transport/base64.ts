/**
 * Base64 (RFC 4648, padded) between byte arrays, through Node's native codec a chunk at a time. Node converts only
 * between base64 strings and bytes, and a frame's base64 is megabytes: as one string it lands in V8's large-object
 * space, part of the old generation, so every batch added megabytes there and brought mark-compacts on. Chunks of
 * CHUNK characters make strings small enough to die young in a scavenge, at the native codec's speed (4× a
 * JavaScript table decoder's).
 */

/** Characters per chunk: a multiple of 4, so chunks hold whole quads, and far below V8's large-object size. */
const CHUNK = 16_384;
/** Bytes per chunk when encoding: a multiple of 3, so only the last chunk is padded. */
const CHUNK_BYTES = (CHUNK / 4) * 3;
const PAD = 0x3d; // '='

/** The base64 length of `n` bytes. */
export function base64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

/** Writes the base64 of `bytes` into `out` at `at`; returns where it ended. */
export function encodeBase64Into(bytes: Uint8Array, out: Buffer, at: number): number {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = at;
  for (let i = 0; i < source.length; i += CHUNK_BYTES) {
    o += out.write(source.toString('base64', i, Math.min(source.length, i + CHUNK_BYTES)), o, 'latin1');
  }
  return o;
}

/**
 * The bytes `text[start, end)` encodes, in a new ArrayBuffer of their own (8-byte-aligned, as frames are read through
 * typed views); null when the span is not padded base64 (Node's decoder skips what it cannot read, so a short count
 * tells).
 */
export function decodeBase64(text: Buffer, start = 0, end = text.length): ArrayBuffer | null {
  const length = end - start;
  if (length % 4 !== 0) return null;
  const padding = length > 0 && text[end - 1] === PAD ? (text[end - 2] === PAD ? 2 : 1) : 0;
  const buffer = new ArrayBuffer((length / 4) * 3 - padding);
  const out = Buffer.from(buffer);
  let o = 0;
  for (let i = start; i < end; i += CHUNK) {
    o += out.write(text.toString('latin1', i, Math.min(end, i + CHUNK)), o, 'base64');
  }
  return o === buffer.byteLength ? buffer : null;
}

/**
 * A base64 string (a frame of a payload already parsed as JSON, where the string exists anyway) decoded straight into
 * its own ArrayBuffer (frames are read through Int32Array views, so they cannot sit at an arbitrary offset of Node's
 * shared pool), with no intermediate Buffer to copy from.
 */
export function decodeBase64String(text: string): ArrayBuffer {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const frame = new ArrayBuffer(Math.floor((text.length * 3) / 4) - padding);
  const written = Buffer.from(frame).write(text, 'base64');
  return written === frame.byteLength ? frame : frame.slice(0, written);
}

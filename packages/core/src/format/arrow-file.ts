import { crc32c } from '@node-rs/crc32';
import {
  type RecordBatch,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  type Schema,
  type Table,
  tableFromIPC,
} from 'apache-arrow';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { FanoutError } from '../errors/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import type { FileEntry } from './manifest.ts';

/**
 * Arrow IPC files with integrity information. A file is written whole; its footer tells where each record batch
 * lies, and the manifest keeps, per batch, its byte span and CRC32C, plus one CRC32C over everything else (the leading
 * magic and schema, and the footer), so a ranged read checks exactly the bytes it fetched and no byte goes unchecked.
 *
 * A batch is decoded on its own by replaying it as an IPC stream: the file's schema message, the batch's message,
 * end-of-stream. That is the standard stream format, so no private Arrow API is involved beyond reading the footer.
 */

const TAIL_BYTES = 10; // int32 footer length + 'ARROW1'
const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

export interface EncodedArrowFile {
  bytes: Uint8Array;
  entry: Omit<FileEntry, 'key'>;
}

export function encodeArrowFile(schema: Schema, batches: RecordBatch[]): EncodedArrowFile {
  const writer = new RecordBatchFileWriter();
  writer.reset(undefined, schema);
  for (const batch of batches) writer.write(batch);
  writer.finish();
  const bytes = writer.toUint8Array(true);
  const blocks = [...readFooter(bytes)];
  const entryBatches = blocks.map((block, i) => {
    const length = block.metaDataLength + block.bodyLength;
    return {
      offset: block.offset,
      length,
      rows: batches[i].numRows,
      crc32c: crc32c(bytes.subarray(block.offset, block.offset + length)),
    };
  });
  // Readers fetch head and footer as the file's "rest"; that relies on batches lying back to back, as Arrow writes them.
  for (let i = 1; i < entryBatches.length; i++) {
    if (entryBatches[i].offset !== entryBatches[i - 1].offset + entryBatches[i - 1].length) {
      throw new FanoutError('INVALID_INPUT', 'Arrow writer left a gap between record batches');
    }
  }
  return {
    bytes,
    entry: { bytes: bytes.length, batches: entryBatches, rest_crc32c: restChecksum(bytes, entryBatches) },
  };
}

/** Encodes, writes and describes one file. */
export async function writeArrowFile(
  store: ObjectStore,
  key: string,
  schema: Schema,
  batches: RecordBatch[],
): Promise<FileEntry> {
  const { bytes, entry } = encodeArrowFile(schema, batches);
  await store.put(key, bytes, { contentType: 'application/vnd.apache.arrow.file' });
  return { key, ...entry };
}

/** Checks a whole file's bytes against its manifest entry, then decodes it. */
export function decodeVerifiedFile(entry: FileEntry, bytes: Uint8Array): Table {
  if (bytes.length !== entry.bytes) {
    throw new FanoutError(
      'CHECKSUM_MISMATCH',
      `${entry.key}: expected ${entry.bytes} bytes, found ${bytes.length}: the file is truncated or was replaced; re-run the partition job`,
    );
  }
  for (const [i, batch] of entry.batches.entries())
    verifyBatch(entry, i, bytes.subarray(batch.offset, batch.offset + batch.length));
  if (restChecksum(bytes, entry.batches) !== entry.rest_crc32c) {
    throw new FanoutError(
      'CHECKSUM_MISMATCH',
      `${entry.key}: checksum of the schema and footer does not match the manifest: the file is corrupt; re-run the partition job`,
    );
  }
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    throw new FanoutError('INVALID_INPUT', `${entry.key}: not a readable Arrow IPC file: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

export function verifyBatch(entry: FileEntry, index: number, bytes: Uint8Array): void {
  const expected = entry.batches[index];
  if (bytes.length !== expected.length || crc32c(bytes) !== expected.crc32c) {
    throw new FanoutError(
      'CHECKSUM_MISMATCH',
      `${entry.key}: record batch ${index} (bytes ${expected.offset}–${expected.offset + expected.length}) does not match its checksum: the file is corrupt; re-run the partition job`,
    );
  }
}

/**
 * Reads one file of a partitioned graph, whole or batch by batch with ranged GETs; every byte read is verified.
 * The schema (head and footer) is fetched and verified once, on the first ranged read.
 */
export class ArrowFileReader {
  private schemaMessage?: Promise<Uint8Array>;

  constructor(
    private readonly store: ObjectStore,
    readonly entry: FileEntry,
  ) {}

  async readAll(): Promise<Table> {
    return decodeVerifiedFile(this.entry, await this.store.get(this.entry.key));
  }

  /** Record batches [first, last] decoded from one ranged GET. */
  async readBatches(first: number, last: number): Promise<Table> {
    const { batches, key } = this.entry;
    if (!(first >= 0 && last < batches.length && first <= last)) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `${key}: no record batches ${first}..${last} (the file has ${batches.length})`,
      );
    }
    const start = batches[first].offset;
    const end = batches[last].offset + batches[last].length;
    const [schema, bytes] = await Promise.all([this.readSchemaMessage(), this.store.get(key, { start, end })]);
    for (let i = first; i <= last; i++) {
      verifyBatch(
        this.entry,
        i,
        bytes.subarray(batches[i].offset - start, batches[i].offset - start + batches[i].length),
      );
    }
    return tableFromIPC(concatBytes([schema, bytes, END_OF_STREAM]));
  }

  private readSchemaMessage(): Promise<Uint8Array> {
    this.schemaMessage ??= (async () => {
      const { batches, bytes: size, key } = this.entry;
      const headEnd = batches.length > 0 ? batches[0].offset : size;
      const tailStart =
        batches.length > 0 ? batches[batches.length - 1].offset + batches[batches.length - 1].length : size;
      const [head, tail] = await Promise.all([
        this.store.get(key, { start: 0, end: headEnd }),
        this.store.get(key, { start: tailStart, end: size }),
      ]);
      // Batches are laid out back to back between head and footer, so head + tail is exactly the "rest" of the file.
      if (crc32c(tail, crc32c(head)) !== this.entry.rest_crc32c) {
        throw new FanoutError(
          'CHECKSUM_MISMATCH',
          `${key}: checksum of the schema and footer does not match the manifest: the file is corrupt; re-run the partition job`,
        );
      }
      return schemaMessage(
        decodeFooter(tail.subarray(Math.max(0, tail.length - (TAIL_BYTES + footerLength(tail))))).schema,
      );
    })();
    return this.schemaMessage;
  }
}

function footerLength(bytes: Uint8Array): number {
  if (bytes.length < TAIL_BYTES) throw new FanoutError('INVALID_INPUT', 'not an Arrow IPC file: too short');
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(bytes.length - TAIL_BYTES, true);
}

/** The footer of a file whose last bytes are given (at least the footer and the trailing length and magic). */
function decodeFooter(bytes: Uint8Array) {
  const length = footerLength(bytes);
  return Footer.decode(bytes.subarray(bytes.length - TAIL_BYTES - length, bytes.length - TAIL_BYTES));
}

function readFooter(bytes: Uint8Array) {
  return decodeFooter(bytes).recordBatches();
}

/**
 * The IPC stream's schema message for `schema`. Arrow JS's file writer keeps the schema in the footer only, so the
 * message that starts a replayed stream is made by the stream writer (its output minus the end-of-stream marker).
 */
function schemaMessage(schema: Schema): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  writer.finish();
  const stream = writer.toUint8Array(true);
  return stream.subarray(0, stream.length - END_OF_STREAM.length);
}

/** CRC32C over every byte outside the record batches, in file order. */
function restChecksum(bytes: Uint8Array, batches: { offset: number; length: number }[]): number {
  let crc = 0;
  let position = 0;
  for (const batch of batches) {
    crc = crc32c(bytes.subarray(position, batch.offset), crc);
    position = batch.offset + batch.length;
  }
  return crc32c(bytes.subarray(position), crc);
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

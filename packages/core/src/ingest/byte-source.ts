import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FanoutError } from '../errors/index.ts';
import { type ObjectStore, openObject } from '../storage/index.ts';

/** A named input file, on local disk or in an object store. */
export interface InputFile {
  store: ObjectStore;
  key: string;
  /** For messages: the path or URI the user gave. */
  name: string;
}

export function inputFile(uri: string): InputFile {
  const { store, key } = openObject(uri);
  return { store, key, name: uri };
}

export async function inputExists(file: InputFile): Promise<boolean> {
  return (await file.store.head(file.key)) !== undefined;
}

const REMOTE_CHUNK = 8 * 2 ** 20;

/**
 * The file's bytes as a stream of chunks, gunzipped when the name ends in `.gz`. Local files stream from disk; objects
 * in other stores stream as sequential ranged GETs with one chunk fetched ahead, so neither holds the whole file. A
 * truncated or corrupt gzip becomes a typed error naming the file.
 */
async function* rangedChunks(file: InputFile, size: number): AsyncGenerator<Uint8Array> {
  const fetch = (start: number) => file.store.get(file.key, { start, end: Math.min(size, start + REMOTE_CHUNK) });
  let next = size > 0 ? fetch(0) : undefined;
  for (let start = 0; next; start += REMOTE_CHUNK) {
    const current = next;
    next = start + REMOTE_CHUNK < size ? fetch(start + REMOTE_CHUNK) : undefined;
    yield await current;
  }
}

export async function* readChunks(
  file: InputFile,
  onBytes?: (done: number, total: number) => void,
): AsyncGenerator<Uint8Array> {
  const local = file.store.uri.startsWith('file://')
    ? `${file.store.uri.slice('file://'.length)}/${file.key}`
    : undefined;
  const total = local
    ? await stat(local).then(
        (s) => s.size,
        () => undefined,
      )
    : (await file.store.head(file.key))?.size;
  if (total === undefined) throw new FanoutError('NOT_FOUND', `input file ${file.name} does not exist`);
  const source: AsyncIterable<Uint8Array> = local
    ? createReadStream(local, { highWaterMark: 1 << 20 })
    : rangedChunks(file, total);
  const counted = countBytes(source, total, onBytes);
  let chunks: AsyncIterable<Uint8Array> = counted;
  if (file.name.endsWith('.gz')) {
    const raw = Readable.from(counted);
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    raw.on('error', (error) => gunzip.destroy(error));
    chunks = raw.pipe(gunzip);
  }
  try {
    yield* chunks;
  } catch (error) {
    if (error instanceof FanoutError) throw error;
    const message =
      (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR'
        ? 'unexpected end of file (truncated gzip)'
        : (error as Error).message;
    throw new FanoutError('INVALID_INPUT', `${file.name}: cannot read: ${message}`, { cause: error });
  }
}

async function* countBytes(
  source: AsyncIterable<Uint8Array>,
  total: number,
  onBytes?: (done: number, total: number) => void,
): AsyncGenerator<Uint8Array> {
  let done = 0;
  for await (const chunk of source) {
    done += chunk.length;
    onBytes?.(done, total);
    yield chunk;
  }
}

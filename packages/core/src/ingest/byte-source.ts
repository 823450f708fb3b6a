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

/**
 * The file's bytes as a stream of chunks, gunzipped when the name ends in `.gz`. Local files stream from disk; objects
 * in S3 are fetched whole (compressed), which is what S3 charges for anyway. A truncated or corrupt gzip becomes a
 * typed error naming the file.
 */
export async function* readChunks(
  file: InputFile,
  onBytes?: (done: number, total: number) => void,
): AsyncGenerator<Uint8Array> {
  const local = file.store.uri.startsWith('file://')
    ? `${file.store.uri.slice('file://'.length)}/${file.key}`
    : undefined;
  let raw: Readable;
  let total = 0;
  if (local) {
    total = await stat(local).then(
      (s) => s.size,
      () => {
        throw new FanoutError('NOT_FOUND', `input file ${file.name} does not exist`);
      },
    );
    raw = createReadStream(local, { highWaterMark: 1 << 20 });
  } else {
    const bytes = await file.store.get(file.key);
    total = bytes.length;
    raw = Readable.from([bytes]);
  }
  let done = 0;
  raw.on('data', (chunk: Uint8Array) => {
    done += chunk.length;
    onBytes?.(done, total);
  });
  const stream = file.name.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  raw.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error) {
    if (error instanceof FanoutError) throw error;
    const message =
      (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR'
        ? 'unexpected end of file (truncated gzip)'
        : (error as Error).message;
    throw new FanoutError('INVALID_INPUT', `${file.name}: cannot decompress: ${message}`, { cause: error });
  }
}

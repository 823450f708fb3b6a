import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { FanoutError } from '../errors/index.ts';
import { assertValidKey, assertValidPrefix } from './keys.ts';
import type { ByteRange, ListOptions, ListPage, ObjectInfo, ObjectStore } from './object-store.ts';

const TEMP_MARKER = '.fanout-tmp-';

/** A directory as an object store: the embedded default, and what tests and the demo run on. */
export class LocalStore implements ObjectStore {
  readonly uri: string;

  constructor(readonly root: string) {
    this.uri = `file://${root}`;
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    const path = this.pathOf(key);
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR'
        ? new FanoutError('NOT_FOUND', `no object ${key} in ${this.uri}`, { cause: error })
        : storageError(this.uri, key, error);
    });
    try {
      const size = (await handle.stat()).size;
      const start = range ? Math.min(range.start, size) : 0;
      const end = range ? Math.min(range.end, size) : size;
      checkRange(key, start, end);
      // A fresh ArrayBuffer per read (never a pooled Buffer) keeps typed-array views over it aligned.
      const bytes = new Uint8Array(end - start);
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === bytes.length ? bytes : bytes.subarray(0, done);
    } finally {
      await handle.close();
    }
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    const temp = join(dirname(path), `${TEMP_MARKER}${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(temp, body);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw storageError(this.uri, key, error);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      if (!info.isFile()) return undefined;
      return { key, size: info.size, etag: `"${info.size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}"` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storageError(this.uri, key, error);
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertValidPrefix(prefix);
    const limit = Math.min(options.limit ?? 1000, 1000);
    // Walk only the directory that contains the prefix; keys are compared as strings, as S3 does.
    const baseDir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const keys: string[] = [];
    await this.walk(join(this.root, baseDir), keys);
    const matching = keys
      .filter((k) => k.startsWith(prefix) && (options.token === undefined || k > options.token))
      .sort();
    const pageKeys = matching.slice(0, limit);
    const objects = await Promise.all(pageKeys.map(async (key) => (await this.head(key)) ?? { key, size: 0 }));
    return matching.length > limit ? { objects, nextToken: pageKeys[pageKeys.length - 1] } : { objects };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true }).catch((error) => {
      throw storageError(this.uri, key, error);
    });
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return join(this.root, ...key.split('/'));
  }

  private async walk(dir: string, out: string[]): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
        return;
      throw storageError(this.uri, dir, error);
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await this.walk(path, out);
      else if (entry.isFile() && !entry.name.startsWith(TEMP_MARKER))
        out.push(relative(this.root, path).split(sep).join('/'));
    }
  }
}

export function checkRange(key: string, start: number, end: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new FanoutError('INVALID_ARGUMENT', `invalid byte range [${start}, ${end}) for ${key}`);
  }
}

function storageError(uri: string, key: string, error: unknown): FanoutError {
  if (error instanceof FanoutError) return error;
  return new FanoutError('STORAGE_ERROR', `${uri}: ${key}: ${(error as Error).message}`, { cause: error });
}

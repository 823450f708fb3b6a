import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { FanoutError } from '../errors/index.ts';
import { LocalStore } from './local-store.ts';
import type { ObjectStore } from './object-store.ts';
import { S3Store } from './s3-store.ts';

export interface StoreLocation {
  store: ObjectStore;
  /** The key the URI names inside the store ('' for the root itself). */
  key: string;
}

/**
 * Opens the store a URI names: `s3://bucket/prefix` on S3, `file:///dir` or a plain path on the local disk. The whole
 * URI becomes the store's root, so keys written through it are relative to what the user named.
 */
export function openStore(uri: string, options: { s3Client?: S3Client } = {}): ObjectStore {
  if (uri.startsWith('s3://')) {
    const rest = uri.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new FanoutError('INVALID_ARGUMENT', `invalid S3 bucket name in ${uri}`);
    }
    return new S3Store({ bucket, prefix: slash < 0 ? '' : rest.slice(slash + 1), client: options.s3Client });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith('file://')) {
    throw new FanoutError('INVALID_ARGUMENT', `unsupported URI scheme in ${uri}: use a path, file:// or s3://`);
  }
  return new LocalStore(uri.startsWith('file://') ? fileURLToPath(uri) : resolve(uri));
}

/**
 * Opens the store holding an object the URI names: its parent is the store's root and the last segment the key
 * (`s3://b/graphs/cora/manifest.json` → store `s3://b/graphs/cora`, key `manifest.json`).
 */
export function openObject(uri: string, options: { s3Client?: S3Client } = {}): StoreLocation {
  const trimmed = uri.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0) return { store: openStore('.', options), key: trimmed };
  const root = trimmed.slice(0, slash);
  return { store: openStore(root === '' ? '/' : root, options), key: trimmed.slice(slash + 1) };
}

import { FanoutError } from '../errors/index.ts';

/**
 * Keys are validated the same way on every store, so that a key accepted locally is accepted on S3 and no key can
 * climb out of the store's root ('..', absolute paths, backslashes, control characters).
 */
export function assertValidKey(key: string): void {
  const bad =
    key.length === 0 ||
    key.length > 1024 ||
    key.startsWith('/') ||
    key.includes('\\') ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    /[\u0000-\u001f\u007f]/.test(key) ||
    key.split('/').some((segment) => segment === '..' || segment === '.' || segment === '');
  if (bad) {
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `invalid object key ${JSON.stringify(key)}: use relative '/'-separated names without '.' or '..' segments`,
    );
  }
}

/** Prefixes may be empty or end without a slash; they follow the same rules as keys otherwise. */
export function assertValidPrefix(prefix: string): void {
  if (prefix !== '') assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

/** Joins key segments with '/', ignoring empty ones. */
export function joinKey(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

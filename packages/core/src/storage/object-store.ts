/**
 * The object-store abstraction every other part reads and writes through. Keys are '/'-separated and relative to the
 * store's root (a directory, or an S3 bucket and prefix), so partition files name each other by relative keys and a
 * partitioned graph can be copied between stores unchanged.
 */
export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
}

/** An inclusive-start, exclusive-end byte range: bytes [start, end). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ListPage {
  objects: ObjectInfo[];
  /** Pass back to `list` to get the next page; absent on the last page. */
  nextToken?: string;
}

export interface ListOptions {
  /** Page size, at most 1,000 (S3's own cap). */
  limit?: number;
  token?: string;
}

export interface ObjectStore {
  /** A human-readable URI of the store's root, for messages and manifests. */
  readonly uri: string;
  /** The whole object, or the bytes of `range`. Throws FanoutError NOT_FOUND for a missing key. */
  get(key: string, range?: ByteRange): Promise<Uint8Array>;
  /**
   * Writes the whole object. Readers see either the old object or the new one, never a part (atomic rename on the
   * local store, a single PUT or a completed multipart upload on S3).
   */
  put(key: string, body: Uint8Array, options?: { contentType?: string }): Promise<void>;
  /** Size and ETag, or undefined when there is no such key. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** One page of the keys under `prefix`, in lexicographic order. */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Removes the key; removing a missing key is not an error (as on S3). */
  delete(key: string): Promise<void>;
}

/** Every key under `prefix`, following pagination. */
export async function* listAll(store: ObjectStore, prefix: string): AsyncGenerator<ObjectInfo> {
  let token: string | undefined;
  do {
    const page = await store.list(prefix, { token });
    yield* page.objects;
    token = page.nextToken;
  } while (token !== undefined);
}

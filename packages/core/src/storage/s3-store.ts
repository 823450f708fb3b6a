import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import pLimit from 'p-limit';
import { FanoutError } from '../errors/index.ts';
import { assertValidKey, assertValidPrefix, joinKey } from './keys.ts';
import { checkRange } from './local-store.ts';
import type { ByteRange, ListOptions, ListPage, ObjectInfo, ObjectStore } from './object-store.ts';

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix inside the bucket; no leading or trailing slash. */
  prefix?: string;
  /** A ready client; otherwise one is made by `createS3Client`. */
  client?: S3Client;
  /** Objects at least this large are uploaded in parts (default 16 MiB). */
  multipartThreshold?: number;
  /** Part size of multipart uploads and chunk size of parallel ranged GETs (default 8 MiB). */
  partSize?: number;
  /** Parallel requests of one multipart upload or chunked GET (default 4). */
  concurrency?: number;
}

/**
 * An S3 client for AWS or any S3-compatible endpoint. The endpoint comes from `endpoint`, else from the SDK's own
 * standard variables (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL), which the SDK also reads by itself. A custom endpoint
 * means a local or third-party server: path-style addressing, and checksums only when required, because s3rver stores
 * the aws-chunked framing of streamed checksummed uploads inside the object. On AWS the SDK's integrity checks stay on.
 */
export function createS3Client(config: S3ClientConfig & { endpoint?: string } = {}): S3Client {
  const endpoint = config.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const custom: S3ClientConfig = endpoint
    ? {
        endpoint,
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }
    : {};
  return new S3Client({
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...custom,
    ...config,
  });
}

export class S3Store implements ObjectStore {
  readonly uri: string;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly multipartThreshold: number;
  private readonly partSize: number;
  private readonly concurrency: number;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    assertValidPrefix(this.prefix);
    this.client = options.client ?? createS3Client();
    this.multipartThreshold = options.multipartThreshold ?? 16 * 2 ** 20;
    this.partSize = options.partSize ?? 8 * 2 ** 20;
    this.concurrency = options.concurrency ?? 4;
    this.uri = `s3://${this.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  async get(key: string, range?: ByteRange): Promise<Uint8Array> {
    if (range) {
      checkRange(key, range.start, range.end);
      if (range.end === range.start) return new Uint8Array(0);
      return (await this.getRange(key, range.start, range.end)).bytes;
    }
    // One request serves small objects; for a large one, the first chunk's Content-Range tells the size and the rest
    // is fetched as parallel ranged GETs pinned to the same ETag, so a concurrent overwrite cannot mix versions.
    const first = await this.getRange(key, 0, this.partSize);
    if (first.total <= this.partSize) return first.bytes;
    const out = new Uint8Array(first.total);
    out.set(first.bytes, 0);
    const limit = pLimit(this.concurrency);
    const chunks: Promise<void>[] = [];
    for (let start = this.partSize; start < first.total; start += this.partSize) {
      const end = Math.min(start + this.partSize, first.total);
      chunks.push(limit(async () => out.set((await this.getRange(key, start, end, first.etag)).bytes, start)));
    }
    await Promise.all(chunks);
    return out;
  }

  async put(key: string, body: Uint8Array, options: { contentType?: string } = {}): Promise<void> {
    const params = { Bucket: this.bucket, Key: this.fullKey(key), Body: body, ContentType: options.contentType };
    try {
      if (body.length >= this.multipartThreshold) {
        await new Upload({ client: this.client, params, partSize: this.partSize, queueSize: this.concurrency }).done();
      } else {
        await this.client.send(new PutObjectCommand(params));
      }
    } catch (error) {
      throw this.translate(error, key);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
      return { key, size: out.ContentLength ?? 0, etag: out.ETag };
    } catch (error) {
      const translated = this.translate(error, key);
      if (translated.code === 'NOT_FOUND') return undefined;
      throw translated;
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertValidPrefix(prefix);
    const base = this.prefix ? `${this.prefix}/` : '';
    try {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: base + prefix,
          MaxKeys: Math.min(options.limit ?? 1000, 1000),
          ContinuationToken: options.token,
        }),
      );
      const objects = (out.Contents ?? []).map((o) => ({
        key: o.Key!.slice(base.length),
        size: o.Size ?? 0,
        etag: o.ETag,
      }));
      return out.IsTruncated && out.NextContinuationToken
        ? { objects, nextToken: out.NextContinuationToken }
        : { objects };
    } catch (error) {
      throw this.translate(error, prefix);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key) }));
    } catch (error) {
      throw this.translate(error, key);
    }
  }

  /** Explicit `bytes=a-b` ranges only: s3rver mishandles suffix ranges. */
  private async getRange(key: string, start: number, end: number, ifMatch?: string) {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.fullKey(key),
          Range: `bytes=${start}-${end - 1}`,
          IfMatch: ifMatch,
        }),
      );
      const bytes = alignedCopy(await out.Body!.transformToByteArray());
      const total = Number(out.ContentRange?.split('/')[1] ?? bytes.length);
      return { bytes, total, etag: out.ETag };
    } catch (error) {
      throw this.translate(error, key);
    }
  }

  private fullKey(key: string): string {
    assertValidKey(key);
    return joinKey(this.prefix, key);
  }

  private translate(error: unknown, key: string): FanoutError {
    if (error instanceof FanoutError) return error;
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (e.name === 'NoSuchKey' || e.name === 'NotFound' || status === 404) {
      return new FanoutError('NOT_FOUND', `no object ${key} in ${this.uri}`, { cause: error });
    }
    if (e.name === 'InvalidRange' || status === 416) {
      return new FanoutError('INVALID_ARGUMENT', `byte range outside ${key} in ${this.uri}`, { cause: error });
    }
    return new FanoutError(
      'STORAGE_ERROR',
      `${this.uri}: ${key}: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`,
      { cause: error },
    );
  }
}

/**
 * The SDK may hand back a view into a pooled buffer; typed-array views over our bytes need their own buffer (a copy
 * by constructor: were the view a Buffer, its slice would be a view again).
 */
function alignedCopy(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
}

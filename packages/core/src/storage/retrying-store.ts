import {
  CallPolicy,
  type CallPolicyOptions,
  type CallStats,
  RESILIENT_POLICY,
  sizeClass,
} from '../transport/call-policy.ts';
import type { ByteRange, ListOptions, ListPage, ObjectInfo, ObjectStore } from './object-store.ts';

/**
 * Any object store under a CallPolicy: every operation (all are idempotent: reads, whole-object PUTs, deletes) is
 * retried on transient failures (STORAGE_ERROR, timeouts) with jittered backoff within a time budget, and slow reads
 * are hedged. The S3 client retries its own HTTP failures; this layer also covers whatever sits between (a flaky
 * proxy, injected faults) and the local store.
 */
export class RetryingStore implements ObjectStore {
  readonly uri: string;
  private readonly policy: CallPolicy;

  constructor(
    private readonly inner: ObjectStore,
    options: CallPolicyOptions = RESILIENT_POLICY,
  ) {
    this.uri = inner.uri;
    this.policy = new CallPolicy(options);
  }

  get(key: string, range?: ByteRange): Promise<Uint8Array> {
    // Reads are hedged per size class: a whole-file read is not a straggling ranged read.
    const size = range ? range.end - range.start : 0;
    return this.policy.run(() => this.inner.get(key, range), sizeClass(size));
  }

  put(key: string, body: Uint8Array, options?: { contentType?: string }): Promise<void> {
    return this.policy.run(() => this.inner.put(key, body, options));
  }

  head(key: string): Promise<ObjectInfo | undefined> {
    return this.policy.run(() => this.inner.head(key));
  }

  list(prefix: string, options?: ListOptions): Promise<ListPage> {
    return this.policy.run(() => this.inner.list(prefix, options));
  }

  delete(key: string): Promise<void> {
    return this.policy.run(() => this.inner.delete(key));
  }

  stats(): CallStats {
    return this.policy.stats();
  }
}

import type { ByteRange, ListOptions, ListPage, ObjectInfo, ObjectStore } from '../storage/index.ts';
import { type FaultCounts, FaultPlan, type FaultPlanInput } from './fault-plan.ts';

/**
 * An object store whose operations fail (STORAGE_ERROR, retryable), run slow or are made twice at the plan's rates:
 * a twice-made PUT tests that writes are idempotent, a failed read that loads retry.
 */
export class FaultyStore implements ObjectStore {
  readonly uri: string;
  private readonly plan: FaultPlan;

  constructor(
    private readonly inner: ObjectStore,
    plan: FaultPlanInput,
  ) {
    this.uri = inner.uri;
    this.plan = new FaultPlan(plan, 'store');
  }

  get(key: string, range?: ByteRange): Promise<Uint8Array> {
    return this.plan.run('STORAGE_ERROR', `GET ${key}`, () => this.inner.get(key, range));
  }

  put(key: string, body: Uint8Array, options?: { contentType?: string }): Promise<void> {
    return this.plan.run('STORAGE_ERROR', `PUT ${key}`, () => this.inner.put(key, body, options));
  }

  head(key: string): Promise<ObjectInfo | undefined> {
    return this.plan.run('STORAGE_ERROR', `HEAD ${key}`, () => this.inner.head(key));
  }

  list(prefix: string, options?: ListOptions): Promise<ListPage> {
    return this.plan.run('STORAGE_ERROR', `LIST ${prefix}`, () => this.inner.list(prefix, options));
  }

  delete(key: string): Promise<void> {
    return this.plan.run('STORAGE_ERROR', `DELETE ${key}`, () => this.inner.delete(key));
  }

  get counts(): FaultCounts {
    return { ...this.plan.counts };
  }
}

export { assertValidKey, joinKey } from './keys.ts';
export { LocalStore } from './local-store.ts';
export {
  type ByteRange,
  type ListOptions,
  type ListPage,
  listAll,
  type ObjectInfo,
  type ObjectStore,
} from './object-store.ts';
export { openObject, openStore, type StoreLocation } from './open-store.ts';
export { RetryingStore } from './retrying-store.ts';
export { createS3Client, S3Store, type S3StoreOptions } from './s3-store.ts';

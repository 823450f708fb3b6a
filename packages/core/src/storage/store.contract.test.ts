import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pLimit from 'p-limit';
import { isFanoutError } from '../errors/index.ts';
import { LOCAL_S3_CREDENTIALS, type LocalS3Server, startLocalS3 } from '../local/index.ts';
import { createS3Client, LocalStore, listAll, type ObjectStore, S3Store } from './index.ts';

const MiB = 2 ** 20;

/** The one contract every ObjectStore keeps; each implementation runs the same cases. */
function storeContract(name: string, open: () => Promise<{ store: ObjectStore; close: () => Promise<void> }>) {
  describe(`${name} store contract`, () => {
    let store: ObjectStore;
    let close: () => Promise<void>;
    before(async () => ({ store, close } = await open()));
    after(() => close());

    test('put, get, ranged get, head', async () => {
      const body = randomBytes(100_000);
      await store.put('a/b/object.bin', body);
      assert.deepEqual(Buffer.from(await store.get('a/b/object.bin')), body);
      assert.deepEqual(
        Buffer.from(await store.get('a/b/object.bin', { start: 1000, end: 1100 })),
        body.subarray(1000, 1100),
      );
      assert.equal((await store.get('a/b/object.bin', { start: 5, end: 5 })).length, 0);
      const info = await store.head('a/b/object.bin');
      assert.equal(info?.size, body.length);
      assert.equal(await store.head('a/b/missing.bin'), undefined);
    });

    test('a missing key is a typed NOT_FOUND error', async () => {
      await assert.rejects(store.get('nope/missing.bin'), (e) => isFanoutError(e, 'NOT_FOUND'));
      await assert.rejects(store.get('nope/missing.bin', { start: 0, end: 10 }), (e) => isFanoutError(e, 'NOT_FOUND'));
    });

    test('overwrite replaces the whole object; delete is idempotent', async () => {
      await store.put('x/over.txt', Buffer.from('first version'));
      await store.put('x/over.txt', Buffer.from('v2'));
      assert.equal(Buffer.from(await store.get('x/over.txt')).toString(), 'v2');
      await store.delete('x/over.txt');
      await store.delete('x/over.txt');
      assert.equal(await store.head('x/over.txt'), undefined);
    });

    test('listing pages past 1,000 keys in key order', async () => {
      const keys = Array.from({ length: 1050 }, (_, i) => `many/k${String(i).padStart(5, '0')}`);
      const limit = pLimit(16);
      await Promise.all(keys.map((k) => limit(() => store.put(k, Buffer.from(k)))));
      await store.put('many-other/x', Buffer.from('x'));
      const first = await store.list('many/');
      assert.equal(first.objects.length, 1000);
      assert.ok(first.nextToken);
      const listed: string[] = [];
      for await (const o of listAll(store, 'many/')) listed.push(o.key);
      assert.deepEqual(listed, keys);
      const small = await store.list('many/k0000', { limit: 3 });
      assert.deepEqual(
        small.objects.map((o) => o.key),
        ['many/k00000', 'many/k00001', 'many/k00002'],
      );
    });

    test('large objects: multipart upload and chunked download round-trip', async () => {
      const body = randomBytes(12 * MiB + 12345);
      await store.put('big/blob.bin', body);
      assert.equal((await store.head('big/blob.bin'))?.size, body.length);
      assert.ok(Buffer.from(await store.get('big/blob.bin')).equals(body));
      const range = await store.get('big/blob.bin', { start: 6 * MiB - 7, end: 6 * MiB + 9 });
      assert.ok(Buffer.from(range).equals(body.subarray(6 * MiB - 7, 6 * MiB + 9)));
    });

    test('keys that could escape the root are rejected', async () => {
      for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', 'a\\b', 'a/./b', '']) {
        await assert.rejects(store.get(key), (e) => isFanoutError(e, 'INVALID_ARGUMENT'), key);
      }
    });
  });
}

storeContract('local directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fanout-store-'));
  return { store: new LocalStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
});

storeContract('S3 (s3rver)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fanout-s3rver-'));
  const server: LocalS3Server = await startLocalS3({ directory: dir, buckets: ['contract'] });
  const client = createS3Client({ endpoint: server.endpoint, credentials: LOCAL_S3_CREDENTIALS });
  // Small thresholds so a 12 MiB object goes through multipart upload and parallel ranged GETs.
  const store = new S3Store({
    bucket: 'contract',
    prefix: 'root/dir',
    client,
    multipartThreshold: 5 * MiB,
    partSize: 5 * MiB,
  });
  return {
    store,
    close: async () => {
      client.destroy();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

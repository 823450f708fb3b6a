import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { FanoutError, isFanoutError } from '../errors/index.ts';
import { readArrowTables } from '../ingest/arrow-tables.ts';
import { partitionGraph } from '../partition/index.ts';
import { type ByteRange, LocalStore, type ObjectStore } from '../storage/index.ts';
import { graphFromArcs } from '../testing/small-graphs.ts';
import { MANIFEST_KEY, parseManifest } from './index.ts';
import { PartitionedGraph } from './partitioned-graph.ts';

/**
 * Hostile bytes for the readers (issue 8): seeded byte flips and truncations of every file of a partitioned graph,
 * of its manifest, and of Arrow input tables. Every corrupted file must fail with a typed error (a flip inside a
 * checksummed file always with CHECKSUM_MISMATCH, naming the file), never crash or pass unnoticed. 1,200 files a run.
 */
const SEED = 20261121;
let dir: string;
let store: LocalStore;
let keys: string[];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-fuzz-format-'));
  store = new LocalStore(dir);
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < 400; i++) {
    src.push((i * 7) % 97);
    dst.push((i * 13 + 5) % 97);
  }
  const graph = graphFromArcs(src, dst, 97, 'fuzz', { weight: src.map((s) => (s % 5) + 0.5), time: src });
  graph.ntypes[0].features.set('feat', { dim: 3, data: Float32Array.from({ length: 97 * 3 }, (_, i) => i / 7) });
  graph.ntypes[0].label = Int32Array.from({ length: 97 }, (_, i) => i % 4);
  await partitionGraph(graph, store, { numParts: 2, rowsPerBatch: 32 });
  const graphFiles = (await PartitionedGraph.fromStore(store)).manifest;
  keys = [
    ...Object.values(graphFiles.ids).map((e) => e.key),
    ...graphFiles.parts.flatMap((p) => [...Object.values(p.graph), ...Object.values(p.node_feats)].map((e) => e.key)),
  ];
});
after(() => rm(dir, { recursive: true, force: true }));

/** The store, with one object's bytes replaced. */
function overlay(inner: ObjectStore, key: string, bytes: Uint8Array): ObjectStore {
  return {
    uri: inner.uri,
    get: async (k: string, range?: ByteRange) => {
      if (k !== key) return inner.get(k, range);
      if (range && range.end > bytes.length) throw new FanoutError('STORAGE_ERROR', `range past the end of ${k}`);
      return range ? bytes.slice(range.start, range.end) : bytes;
    },
    put: (k, b, o) => inner.put(k, b, o),
    head: async (k) => (k === key ? { key, size: bytes.length } : inner.head(k)),
    list: (p, o) => inner.list(p, o),
    delete: (k) => inner.delete(k),
  };
}

/** Flips 1 to 4 bytes, or truncates, or both. */
const mutation = fc.record({
  flips: fc.array(
    fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      bit: fc.integer({ min: 0, max: 7 }),
    }),
    {
      minLength: 0,
      maxLength: 4,
    },
  ),
  truncate: fc.option(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { nil: undefined }),
});

function mutate(original: Uint8Array, m: { flips: { at: number; bit: number }[]; truncate?: number }): Uint8Array {
  const bytes = original.slice(
    0,
    m.truncate === undefined ? original.length : Math.floor(m.truncate * original.length),
  );
  for (const f of m.flips) if (bytes.length > 0) bytes[Math.floor(f.at * bytes.length)] ^= 1 << f.bit;
  return bytes;
}

test('every byte flip or truncation of a partition file fails with a typed error naming the file', async () => {
  const originals = new Map(await Promise.all(keys.map(async (k) => [k, await store.get(k)] as const)));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...keys), mutation, async (key, m) => {
      const original = originals.get(key)!;
      const bytes = mutate(original, m);
      fc.pre(Buffer.compare(bytes, original) !== 0);
      const graph = await PartitionedGraph.fromStore(overlay(store, key, bytes));
      const error = await graph.verify().then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isFanoutError(error), `${key}: ${String(error)}`);
      assert.ok(error.message.includes(key), `${key}: the error names the file: ${error.message}`);
      if (bytes.length === original.length) {
        assert.equal(error.code, 'CHECKSUM_MISMATCH', error.message);
        assert.match(error.message, /checksum/);
      }
    }),
    { numRuns: 600, seed: SEED },
  );
});

test('a mutated manifest is valid or refused with INVALID_MANIFEST or UNSUPPORTED_VERSION', async () => {
  const original = await store.get(MANIFEST_KEY);
  await fc.assert(
    fc.property(mutation, (m) => {
      const text = Buffer.from(mutate(original, m)).toString('utf8');
      try {
        parseManifest(text, 'fuzz/manifest.json');
      } catch (e) {
        assert.ok(isFanoutError(e, 'INVALID_MANIFEST') || isFanoutError(e, 'UNSUPPORTED_VERSION'), String(e));
      }
    }),
    { numRuns: 300, seed: SEED },
  );
});

test('a mutated Arrow input table is read or refused with INVALID_INPUT', async () => {
  const raw = new LocalStore(join(dir, 'raw'));
  const { Field, Int32, Table, tableToIPC } = await import('apache-arrow');
  const { int32Data, recordBatch } = await import('./columns.ts');
  const table = new Table([
    recordBatch(
      [new Field('src', new Int32(), false), new Field('dst', new Int32(), false)],
      [
        int32Data(Int32Array.from({ length: 50 }, (_, i) => i)),
        int32Data(Int32Array.from({ length: 50 }, (_, i) => (i * 3) % 50)),
      ],
      50,
    ),
  ]);
  const original = tableToIPC(table, 'file');
  await fc.assert(
    fc.asyncProperty(mutation, async (m) => {
      await raw.put('edges.arrow', mutate(original, m));
      await readArrowTables(raw, 'fuzz').catch((e: unknown) => {
        assert.ok(isFanoutError(e, 'INVALID_INPUT'), String(e));
      });
    }),
    { numRuns: 300, seed: SEED },
  );
});

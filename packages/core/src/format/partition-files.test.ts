import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DataType, type FixedSizeList, tableFromIPC } from 'apache-arrow';
import { isFanoutError } from '../errors/index.ts';
import { ingestGraph } from '../ingest/index.ts';
import { partitionGraph } from '../partition/index.ts';
import { LocalStore } from '../storage/index.ts';
import { decodeGraphTable } from './part-files.ts';
import { PartitionedGraph } from './partitioned-graph.ts';

const CORA = new URL('../../../../data/cora', import.meta.url).pathname;
const ETYPE = '_N:_E:_N';
let dir: string;
let graphDir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-format-'));
  graphDir = join(dir, 'cora');
  // Small record batches so every file has several and ranged reads have something to choose.
  await partitionGraph(await ingestGraph({ input: CORA }), new LocalStore(graphDir), {
    numParts: 2,
    rowsPerBatch: 300,
  });
});
after(() => rm(dir, { recursive: true, force: true }));

/** A copy of the partitioned graph with one byte flipped at `offset` of `key`. */
async function corruptCopy(name: string, key: string, offset: (size: number) => number): Promise<string> {
  const copy = join(dir, name);
  await rm(copy, { recursive: true, force: true });
  const { cp } = await import('node:fs/promises');
  await cp(graphDir, copy, { recursive: true });
  const bytes = await readFile(join(copy, key));
  bytes[offset(bytes.length)] ^= 0x01;
  await writeFile(join(copy, key), bytes);
  return copy;
}

const checksumError = (fragment: string) => (e: unknown) =>
  isFanoutError(e, 'CHECKSUM_MISMATCH') && e.message.includes(fragment);

describe('interoperability', () => {
  test('part files open with plain apache-arrow and carry the documented columns', async () => {
    const graphFile = tableFromIPC(await readFile(join(graphDir, `part-0/graph.${ETYPE}.arrow`)));
    assert.deepEqual(
      graphFile.schema.fields.map((f) => f.name),
      ['nbr', 'eid'],
    );
    const [nbr, eid] = graphFile.schema.fields.map((f) => f.type);
    assert.ok(DataType.isList(nbr) && DataType.isInt(nbr.children[0].type) && nbr.children[0].type.bitWidth === 32);
    assert.ok(DataType.isList(eid) && DataType.isInt(eid.children[0].type) && eid.children[0].type.bitWidth === 64);
    const feats = tableFromIPC(await readFile(join(graphDir, 'part-0/node_feats._N.arrow')));
    assert.deepEqual(
      feats.schema.fields.map((f) => f.name),
      ['feat', 'label', 'train_mask', 'val_mask', 'test_mask'],
    );
    assert.equal((feats.schema.fields[0].type as FixedSizeList).listSize, 1433);
    const ids = tableFromIPC(await readFile(join(graphDir, 'ids._N.arrow')));
    assert.deepEqual(
      ids.schema.fields.map((f) => f.name),
      ['internal_of_orig', 'orig_of_internal'],
    );
    assert.equal(ids.numRows, 2708);
    assert.equal(ids.batches.length, Math.ceil(2708 / 300));
  });
});

describe('integrity', () => {
  test('a flipped byte inside a record batch fails a whole-file read, naming the file and batch', async () => {
    const pg = await PartitionedGraph.open(graphDir);
    const entry = pg.manifest.parts[1].graph[ETYPE];
    const batch = entry.batches[2];
    const copy = await corruptCopy('flip-batch', entry.key, () => batch.offset + Math.floor(batch.length / 2));
    const bad = await PartitionedGraph.open(copy);
    await assert.rejects(bad.readGraph(1, ETYPE), checksumError(`${entry.key}: record batch 2`));
    // The other partition is untouched and still reads.
    await bad.readGraph(0, ETYPE);
  });

  test('ranged reads verify exactly the batches they fetch', async () => {
    const pg = await PartitionedGraph.open(graphDir);
    const entry = pg.manifest.parts[0].node_feats._N;
    const copy = await corruptCopy('flip-ranged', entry.key, () => entry.batches[1].offset + 100);
    const reader = (await PartitionedGraph.open(copy)).fileReader(entry);
    const ok = await reader.readBatches(0, 0);
    assert.equal(ok.numRows, 300);
    await assert.rejects(reader.readBatches(1, 1), checksumError('record batch 1'));
    await assert.rejects(reader.readBatches(0, 2), checksumError('record batch 1'));
    const later = await reader.readBatches(2, 3);
    assert.equal(later.numRows, 600);
  });

  test('ranged reads decode the same rows as the whole file', async () => {
    const pg = await PartitionedGraph.open(graphDir);
    const entry = pg.manifest.parts[0].graph[ETYPE];
    const reader = pg.fileReader(entry);
    const whole = decodeGraphTable(await reader.readAll(), entry.key);
    const middle = decodeGraphTable(await reader.readBatches(1, 2), entry.key);
    const [a, b] = [whole.indptr[300], whole.indptr[900]];
    assert.deepEqual(middle.eid, whole.eid.slice(a, b));
    assert.deepEqual(middle.nbr, whole.nbr.slice(a, b));
    assert.deepEqual(
      middle.indptr,
      whole.indptr.slice(300, 901).map((x) => x - a),
    );
  });

  test('a flipped byte in the schema or footer is caught too', async () => {
    const pg = await PartitionedGraph.open(graphDir);
    const entry = pg.manifest.ids._N;
    const footer = await corruptCopy('flip-footer', entry.key, (size) => size - 40);
    await assert.rejects((await PartitionedGraph.open(footer)).readIdMaps('_N'), checksumError('schema and footer'));
    await assert.rejects(
      (await PartitionedGraph.open(footer)).fileReader(entry).readBatches(0, 0),
      checksumError('schema and footer'),
    );
  });

  test('a truncated file and a missing file are typed errors', async () => {
    const pg = await PartitionedGraph.open(graphDir);
    const entry = pg.manifest.parts[0].graph[ETYPE];
    const copy = join(dir, 'truncated');
    await rm(copy, { recursive: true, force: true });
    const { cp } = await import('node:fs/promises');
    await cp(graphDir, copy, { recursive: true });
    const bytes = await readFile(join(copy, entry.key));
    await writeFile(join(copy, entry.key), bytes.subarray(0, bytes.length - 10));
    await assert.rejects((await PartitionedGraph.open(copy)).readGraph(0, ETYPE), checksumError('truncated'));
    await rm(join(copy, entry.key));
    await assert.rejects((await PartitionedGraph.open(copy)).readGraph(0, ETYPE), (e) => isFanoutError(e, 'NOT_FOUND'));
  });
});

describe('manifest', () => {
  async function withManifest(name: string, edit: (m: Record<string, unknown>) => unknown): Promise<string> {
    const copy = join(dir, name);
    await rm(copy, { recursive: true, force: true });
    const { cp } = await import('node:fs/promises');
    await cp(graphDir, copy, { recursive: true });
    const m = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
    await writeFile(join(copy, 'manifest.json'), typeof edit(m) === 'string' ? (edit(m) as string) : JSON.stringify(m));
    return copy;
  }

  test('an unknown version is refused with its own code', async () => {
    const copy = await withManifest('v2', (m) => {
      m.version = 2;
    });
    await assert.rejects(
      PartitionedGraph.open(copy),
      (e) => isFanoutError(e, 'UNSUPPORTED_VERSION') && /version 2 is not supported/.test(e.message),
    );
  });

  test('a foreign or malformed manifest is INVALID_MANIFEST, naming the field', async () => {
    const foreign = await withManifest('foreign', (m) => {
      m.format = 'dgl';
    });
    await assert.rejects(PartitionedGraph.open(foreign), (e) => isFanoutError(e, 'INVALID_MANIFEST'));
    const broken = await withManifest('broken', (m) => {
      (m.node_map as Record<string, number[][]>)._N[1][0] = 5;
    });
    await assert.rejects(
      PartitionedGraph.open(broken),
      (e) => isFanoutError(e, 'INVALID_MANIFEST') && /not contiguous/.test(e.message),
    );
    const badCrc = await withManifest('bad-crc', (m) => {
      (m.ids as Record<string, { rest_crc32c: unknown }>)._N.rest_crc32c = 'x';
    });
    await assert.rejects(
      PartitionedGraph.open(badCrc),
      (e) => isFanoutError(e, 'INVALID_MANIFEST') && /ids\._N\.rest_crc32c/.test(e.message),
    );
    const notJson = await withManifest('not-json', () => '{ nope');
    await assert.rejects(
      PartitionedGraph.open(notJson),
      (e) => isFanoutError(e, 'INVALID_MANIFEST') && /not JSON/.test(e.message),
    );
  });

  test('a missing manifest is NOT_FOUND', async () => {
    await assert.rejects(PartitionedGraph.open(join(dir, 'nothing-here')), (e) => isFanoutError(e, 'NOT_FOUND'));
  });
});

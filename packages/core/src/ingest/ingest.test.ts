import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Field, Float32, Int32, Table, tableToIPC } from 'apache-arrow';
import { isFanoutError } from '../errors/index.ts';
import { float32Data, int32Data, recordBatch } from '../format/columns.ts';
import { ingestGraph } from './ingest.ts';

const DATA = new URL('../../../../data/', import.meta.url).pathname;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-ingest-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('loader figures', () => {
  test('Cora: 2,708 nodes, 10,556 arcs, 1,433 features, 7 classes, Planetoid split 140/500/1000', async () => {
    const g = await ingestGraph({ input: join(DATA, 'cora') });
    const n = g.ntypes[0];
    assert.equal(n.numNodes, 2708);
    assert.equal(g.etypes[0].edges.src.length, 10556);
    assert.equal(n.features.get('feat')!.dim, 1433);
    assert.equal(Math.max(...n.label!) + 1, 7);
    const count = (m: Uint8Array | undefined) => m!.reduce((a, b) => a + b, 0);
    assert.deepEqual([count(n.masks.train_mask), count(n.masks.val_mask), count(n.masks.test_mask)], [140, 500, 1000]);
  });

  test('ego-Twitter symmetrized: 81,306 nodes, 2,684,606 arcs (14 self-loops not doubled)', async () => {
    const g = await ingestGraph({ input: join(DATA, 'ego-twitter.txt.gz'), undirected: true });
    assert.equal(g.ntypes[0].numNodes, 81306);
    assert.equal(g.etypes[0].edges.src.length, 2_684_606);
    assert.equal(g.etypes[0].numInputEdges, 1_342_310);
    assert.equal(g.name, 'ego-twitter');
  });
});

describe('OGB layout checks', () => {
  async function ogbCopy(name: string, replace: Record<string, string>): Promise<string> {
    const copy = join(dir, name);
    await cp(join(DATA, 'cora'), copy, { recursive: true });
    for (const [file, text] of Object.entries(replace)) await writeFile(join(copy, file), gzipSync(Buffer.from(text)));
    return copy;
  }

  test('label count mismatch', async () => {
    const copy = await ogbCopy('labels', { 'raw/node-label.csv.gz': '1\n2\n' });
    await assert.rejects(
      ingestGraph({ input: copy }),
      (e) => isFanoutError(e, 'INVALID_INPUT') && /node-label\.csv\.gz: 2 labels for 2708 nodes/.test(e.message),
    );
  });

  test('a bad CSV row names the file and line', async () => {
    const copy = await ogbCopy('bad-row', { 'raw/edge.csv.gz': '0,1\n1,2\n2;3\n' });
    await assert.rejects(
      ingestGraph({ input: copy }),
      (e) => isFanoutError(e, 'INVALID_INPUT') && /edge\.csv\.gz: line 3/.test(e.message),
    );
  });

  test('an edge endpoint beyond num-node-list', async () => {
    const copy = await ogbCopy('range', { 'raw/edge.csv.gz': '0,1\n1,5000\n' });
    await assert.rejects(
      ingestGraph({ input: copy }),
      (e) => isFanoutError(e, 'INVALID_INPUT') && /5000 is out of range/.test(e.message),
    );
  });

  test('a truncated gzip', async () => {
    const copy = await ogbCopy('truncated', {});
    const whole = gzipSync(Buffer.from('0,1\n'.repeat(100_000)));
    await writeFile(join(copy, 'raw/edge.csv.gz'), whole.subarray(0, whole.length >> 1));
    await assert.rejects(
      ingestGraph({ input: copy }),
      (e) => isFanoutError(e, 'INVALID_INPUT') && /edge\.csv\.gz: cannot read: unexpected end of file/.test(e.message),
    );
  });

  test('an unknown layout asks for --format', async () => {
    await assert.rejects(
      ingestGraph({ input: dir }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /--format/.test(e.message),
    );
  });
});

describe('Arrow edge tables', () => {
  test('weights must be finite and non-negative', async () => {
    const fields = [
      new Field('src', new Int32(), false),
      new Field('dst', new Int32(), false),
      new Field('weight', new Float32(), false),
    ];
    for (const [name, bad] of [
      ['negative', -1],
      ['nan', Number.NaN],
      ['inf', Number.POSITIVE_INFINITY],
    ] as const) {
      const weights = float32Data(Float32Array.from([1, bad, 0]));
      const batch = recordBatch(
        fields,
        [int32Data(Int32Array.from([0, 1, 2])), int32Data(Int32Array.from([1, 2, 0])), weights],
        3,
      );
      const file = join(dir, `${name}.arrow`);
      await writeFile(file, tableToIPC(new Table([batch]), 'file'));
      await assert.rejects(
        ingestGraph({ input: file }),
        (e) => isFanoutError(e, 'INVALID_INPUT') && /weight of row 1/.test(e.message),
        name,
      );
    }
  });

  test('the heterogeneous layout: edge tables named src___relation___dst, node tables covering the IDs', async () => {
    const edges = (src: number[], dst: number[]) =>
      tableToIPC(
        new Table([
          recordBatch(
            [new Field('src', new Int32(), false), new Field('dst', new Int32(), false)],
            [int32Data(Int32Array.from(src)), int32Data(Int32Array.from(dst))],
            src.length,
          ),
        ]),
        'file',
      );
    const root = join(dir, 'typed');
    await mkdir(join(root, 'edges'), { recursive: true });
    await writeFile(join(root, 'edges', 'user___rates___item.arrow'), edges([0, 1, 2], [4, 0, 4]));
    const graph = await ingestGraph({ input: root });
    assert.deepEqual(
      graph.ntypes.map((t) => [t.name, t.numNodes]),
      [
        ['item', 5],
        ['user', 3],
      ],
    );
    assert.deepEqual(
      graph.etypes.map((e) => [e.name, e.srcType, e.dstType]),
      [['user:rates:item', 'user', 'item']],
    );

    await writeFile(join(root, 'edges', 'user___item.arrow'), edges([0], [0]));
    await assert.rejects(
      ingestGraph({ input: root }),
      (e) => isFanoutError(e, 'INVALID_INPUT') && /user___item\.arrow: an edge table is named/.test(e.message),
    );
    await rm(join(root, 'edges', 'user___item.arrow'));
    await mkdir(join(root, 'nodes'));
    await writeFile(
      join(root, 'nodes', 'user.arrow'),
      tableToIPC(
        new Table([recordBatch([new Field('x', new Float32(), false)], [float32Data(new Float32Array(2))], 2)]),
        'file',
      ),
    );
    await assert.rejects(
      ingestGraph({ input: root }),
      (e) => isFanoutError(e, 'INVALID_INPUT') && /user\.arrow: 2 rows, but edges name node 2/.test(e.message),
    );
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isFanoutError } from '../errors/index.ts';
import { LocalStore } from '../storage/index.ts';
import { readChunks } from './byte-source.ts';
import { parseFloatRows, parseIntTable } from './text-tables.ts';

/** Feeds text in awkward chunk sizes, so every parser state is crossed by a chunk boundary somewhere. */
async function* chunked(text: string, size = 3): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const invalid = (fragment: string) => (e: unknown) => isFanoutError(e, 'INVALID_INPUT') && e.message.includes(fragment);

describe('parseIntTable', () => {
  test('SNAP-style lists: comments, tabs, spaces, CRLF, blank lines, no final newline', async () => {
    const text = '# Directed graph\n# FromNodeId\tToNodeId\n0\t1\r\n\n12 345\n7,8';
    for (const size of [1, 2, 3, 7, 1000]) {
      const [src, dst] = await parseIntTable(chunked(text, size), { columns: 2, file: 'g.txt' });
      assert.deepEqual([...src], [0, 12, 7]);
      assert.deepEqual([...dst], [1, 345, 8]);
    }
  });

  test('errors name the file and the line', async () => {
    await assert.rejects(parseIntTable(chunked('0,1\n2,x\n'), { columns: 2, file: 'e.csv' }), invalid('e.csv: line 2'));
    await assert.rejects(parseIntTable(chunked('0,1\n1,-2\n'), { columns: 2, file: 'e.csv' }), invalid('negative'));
    await assert.rejects(
      parseIntTable(chunked('0,1\n3\n'), { columns: 2, file: 'e.csv' }),
      invalid('line 2: expected 2 fields, found 1'),
    );
    await assert.rejects(parseIntTable(chunked('0,1,2\n'), { columns: 2, file: 'e.csv' }), invalid('found more'));
    await assert.rejects(parseIntTable(chunked('1.5\n'), { columns: 1, file: 'l.csv' }), invalid("unexpected '.'"));
    await assert.rejects(parseIntTable(chunked('0,,1\n'), { columns: 2, file: 'e.csv' }), invalid('empty field'));
    await assert.rejects(parseIntTable(chunked('3000000000\n'), { columns: 1, file: 'e.csv' }), invalid('32-bit'));
  });

  test('nan reads as the given value only where allowed', async () => {
    const [labels] = await parseIntTable(chunked('3\nnan\nNaN\n0\n'), { columns: 1, file: 'l.csv', nanAs: -1 });
    assert.deepEqual([...labels], [3, -1, -1, 0]);
    await assert.rejects(parseIntTable(chunked('nan\n'), { columns: 1, file: 'l.csv' }), invalid('unexpected'));
    await assert.rejects(
      parseIntTable(chunked('na\n'), { columns: 1, file: 'l.csv', nanAs: -1 }),
      invalid('expected an integer'),
    );
  });
});

describe('parseFloatRows', () => {
  test('decimal forms match parseFloat to float32 precision', async () => {
    const rows = [
      ['0', '1', '-2.5', '3.14159', '1e3', '-1.25E-2'],
      ['+0.5', '.5', '123456.789', '6.02e23', '1e-30', '7'],
    ];
    const text = `${rows[0].join(',')}\n${rows[1].join('\t')}\n`;
    const parsed = await parseFloatRows(chunked(text, 4), 'f.csv');
    assert.equal(parsed.dim, 6);
    assert.equal(parsed.rows, 2);
    assert.deepEqual(
      [...parsed.data],
      rows.flat().map((v) => Math.fround(Number.parseFloat(v))),
    );
  });

  test('ragged rows and junk are typed errors with the line', async () => {
    await assert.rejects(
      parseFloatRows(chunked('1,2,3\n4,5\n'), 'f.csv'),
      invalid('f.csv: line 2: ragged row: 2 values where the first row has 3'),
    );
    await assert.rejects(parseFloatRows(chunked('1,2\n3,abc\n'), 'f.csv'), invalid('line 2'));
    await assert.rejects(parseFloatRows(chunked('1,2\n3,1e\n'), 'f.csv'), invalid('malformed number'));
    await assert.rejects(parseFloatRows(chunked('1,2\n3,-\n'), 'f.csv'), invalid('malformed number'));
    await assert.rejects(parseFloatRows(chunked('1e39\n'), 'f.csv'), invalid('float32 range'));
  });
});

describe('gzip input', () => {
  test('a truncated gzip file is a typed error naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fanout-gz-'));
    const whole = gzipSync(Buffer.from('0\t1\n'.repeat(50_000)));
    await writeFile(join(dir, 'edges.txt.gz'), whole.subarray(0, whole.length - 200));
    const file = { store: new LocalStore(dir), key: 'edges.txt.gz', name: 'edges.txt.gz' };
    await assert.rejects(
      parseIntTable(readChunks(file), { columns: 2, file: file.name }),
      (e) =>
        isFanoutError(e, 'INVALID_INPUT') && /edges\.txt\.gz.*truncated|edges\.txt\.gz.*unexpected end/.test(e.message),
    );
  });
});

describe('input sources', () => {
  test('plain and gzipped files, on disk and through ranged reads of another store, parse the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fanout-src-'));
    // About 11 MB of text: more than one 8 MiB ranged chunk.
    const lines = Array.from({ length: 1_000_000 }, (_, i) => `${i}\t${(i * 7919) % 1_000_003}`);
    const text = `# header\n${lines.join('\n')}\n`;
    await writeFile(join(dir, 'plain.txt'), text);
    await writeFile(join(dir, 'packed.txt.gz'), gzipSync(Buffer.from(text)));
    const local = new LocalStore(dir);
    const remote = new RemoteLookingStore(dir);
    for (const [store, key] of [
      [local, 'plain.txt'],
      [local, 'packed.txt.gz'],
      [remote, 'plain.txt'],
      [remote, 'packed.txt.gz'],
    ] as const) {
      const progress: number[] = [];
      const [src, dst] = await parseIntTable(
        readChunks({ store, key, name: key }, (done) => progress.push(done)),
        { columns: 2, file: key },
      );
      assert.equal(src.length, 1_000_000, `${store.uri} ${key}`);
      assert.equal(src[999_999], 999_999);
      assert.equal(dst[999_999], (999_999 * 7919) % 1_000_003);
      assert.ok(progress.length > 0 && progress[progress.length - 1] === (await store.head(key))!.size);
    }
    await assert.rejects(
      parseIntTable(readChunks({ store: remote, key: 'missing.txt', name: 'missing.txt' }), { columns: 2, file: 'x' }),
      (e) => isFanoutError(e, 'NOT_FOUND'),
    );
  });
});

/** A local directory that does not look local, so reads take the ranged-GET path every remote store takes. */
class RemoteLookingStore extends LocalStore {
  override readonly uri = 'mem://remote';
}

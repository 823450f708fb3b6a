import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

/**
 * The determinism contract through the CLI, on real graphs: `fanout sample --out` files are byte-identical for 1, 2,
 * 4 and 7 partitions, in-process and with worker functions, with and without replacement, disjoint or not.
 */
const ROOT = new URL('../', import.meta.url).pathname;
let dir: string;

function fanout(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(join(ROOT, 'node_modules/.bin/fanout'), args, { maxBuffer: 256 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`fanout ${args.join(' ')}: ${stderr}`)) : resolve(stdout),
    ),
  );
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-sample-'));
});
after(() => rm(dir, { recursive: true, force: true }));

for (const graph of [
  { name: 'cora', input: join(ROOT, 'data/cora'), flags: [], parts: [1, 2, 4, 7] },
  { name: 'ego-twitter', input: join(ROOT, 'data/ego-twitter.txt.gz'), flags: ['--undirected'], parts: [1, 2, 4, 7] },
]) {
  test(`${graph.name}: identical samples for every partition count, transport and mode`, async () => {
    for (const parts of graph.parts) {
      await fanout([
        'partition',
        '--input',
        graph.input,
        ...graph.flags,
        '--parts',
        String(parts),
        // Both assignment methods: random for 2 and 7 parts, multilevel (the default) for 1 and 4.
        '--method',
        parts === 2 || parts === 7 ? 'random' : 'multilevel',
        '--seed',
        String(parts),
        '--out',
        join(dir, `${graph.name}-${parts}`),
        '-q',
      ]);
    }
    const modes = [[], ['--replace'], ['--disjoint']];
    for (const mode of modes) {
      let reference: string | undefined;
      for (const parts of graph.parts) {
        for (const transport of parts === 1 ? ['inprocess'] : ['inprocess', 'workers']) {
          const out = join(dir, `${graph.name}-${parts}-${transport}-${mode.join('')}.json`);
          await fanout([
            'sample',
            '--graph',
            join(dir, `${graph.name}-${parts}`),
            '--random-seeds',
            '300',
            '--batch-size',
            '128',
            '--fanouts',
            '10,5',
            '--seed',
            '42',
            '--transport',
            transport,
            '--workers',
            '3',
            '--out',
            out,
            '-q',
            ...mode,
          ]);
          const text = await readFile(out, 'utf8');
          if (reference === undefined) {
            reference = text;
            const doc = JSON.parse(text);
            assert.equal(doc.batches.length, 3);
            assert.ok(doc.batches[0].edge.length > 0);
            assert.equal(mode.includes('--disjoint'), 'batch' in doc.batches[0]);
          } else {
            assert.ok(
              text === reference,
              `${graph.name}: ${parts} parts over ${transport} ${mode.join(' ')} differs from 1 part in-process`,
            );
          }
        }
      }
    }
  });
}

test('bench sample prints the reference-style figures', async () => {
  const graph = join(dir, 'cora-4');
  const result = JSON.parse(
    await fanout([
      'bench',
      'sample',
      '--graph',
      graph,
      '--fanouts',
      '5,5',
      '--batch-size',
      '64',
      '--batches',
      '6',
      '--json',
    ]),
  );
  for (const key of [
    'edges_per_s',
    'batches_per_s',
    'ms_per_batch_p50',
    'ms_per_batch_p99',
    'edges_per_batch',
    'page_faults_per_batch',
  ]) {
    assert.equal(typeof result[key], 'number', key);
  }
});

test('sample-links writes the same links for every partition count, transport included', async () => {
  const documents: string[] = [];
  for (const [parts, transport] of [
    [1, 'inprocess'],
    [4, 'inprocess'],
    [4, 'workers'],
  ] as const) {
    const out = join(dir, `links-${parts}-${transport}.json`);
    const summary = JSON.parse(
      await fanout([
        'sample-links',
        '--graph',
        join(dir, `cora-${parts}`),
        '--links',
        '0:633,1:2,2:1',
        '--fanouts',
        '4,3',
        '--neg-sampling',
        'binary',
        '--num-neg',
        '2',
        '--strict',
        '--transport',
        transport,
        '--out',
        out,
        '--json',
      ]),
    );
    assert.equal(summary.negatives, 6);
    documents.push(await readFile(out, 'utf8'));
  }
  assert.equal(documents[1], documents[0]);
  assert.equal(documents[2], documents[0]);
  const links = JSON.parse(documents[0]) as { edge_label: number[]; edge_label_index: number[][] };
  assert.deepEqual(links.edge_label, [1, 1, 1, 0, 0, 0, 0, 0, 0]);
  assert.equal(links.edge_label_index[0].length, 9);
});

test('a generated heterogeneous graph: typed fanouts, weighted and temporal, identical over parts and transports', async () => {
  const raw = join(dir, 'typed-raw');
  await fanout([
    'generate',
    '--ntypes',
    'author=300,paper=500,venue=20',
    '--etypes',
    'author:writes:paper=1500,paper:cites:paper=2000,paper:published_in:venue=500,author:affiliated_with:venue=300',
    '--weights',
    '--time',
    '--out',
    raw,
    '-q',
  ]);
  for (const parts of [1, 3]) {
    await fanout([
      'partition',
      '--input',
      raw,
      '--undirected',
      '--parts',
      String(parts),
      '--out',
      join(dir, `typed-${parts}`),
      '-q',
    ]);
  }
  const fanouts = [
    'author:writes:paper=3,2',
    'paper:cites:paper=2,0',
    'paper:published_in:venue=1,1',
    'author:affiliated_with:venue=0,2',
    'paper:rev_writes:author=2,2',
    'venue:rev_published_in:paper=2,1',
    'venue:rev_affiliated_with:author=1,1',
  ].join(';');
  for (const mode of [[], ['--weight-attr', 'weight'], ['--seed-time', '600000000', '--temporal-strategy', 'last']]) {
    let reference: string | undefined;
    for (const [parts, transport] of [
      [1, 'inprocess'],
      [3, 'inprocess'],
      [3, 'workers'],
    ] as const) {
      const out = join(dir, `typed-${parts}-${transport}-${mode.join('')}.json`);
      await fanout([
        'sample',
        '--graph',
        join(dir, `typed-${parts}`),
        '--input-type',
        'paper',
        '--random-seeds',
        '200',
        '--batch-size',
        '64',
        '--fanouts',
        fanouts,
        '--transport',
        transport,
        '--out',
        out,
        '-q',
        ...mode,
      ]);
      const text = await readFile(out, 'utf8');
      if (reference === undefined) {
        reference = text;
        const batch = JSON.parse(text).batches[0];
        assert.deepEqual(Object.keys(batch.node), ['author', 'paper', 'venue']);
        assert.equal(batch.seeds.length, 64);
        assert.deepEqual(batch.num_sampled_edges['paper:cites:paper'].slice(1), [0], 'fanout 0 at hop 2');
        assert.equal(mode.includes('--seed-time'), 'batch' in batch, 'temporal sampling is disjoint');
      } else {
        assert.ok(text === reference, `${parts} parts over ${transport} ${mode.join(' ')} differs from 1 part`);
      }
    }
  }
});

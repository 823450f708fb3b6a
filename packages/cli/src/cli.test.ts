import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PartitionedGraph } from '@fanout/core';

const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'node_modules/.bin/fanout');
const CORA = join(ROOT, 'data/cora');

/** Runs the installed `fanout` bin as a user would; never throws on a non-zero exit. */
function fanout(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-cli-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('fanout partition / inspect', () => {
  test('partition --json prints exactly one JSON document with the figures', async () => {
    const out = join(dir, 'cora4');
    const r = await fanout(['partition', '--input', CORA, '--parts', '4', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.graph_name, 'cora');
    assert.equal(result.num_parts, 4);
    assert.equal(result.num_nodes, 2708);
    assert.equal(result.num_edges, 10556);
    assert.equal(result.part_method, 'multilevel', 'multilevel is the default method');
    assert.equal(result.parts.length, 4);
    assert.equal(
      result.parts.reduce((n: number, p: { num_edges: number }) => n + p.num_edges, 0),
      10556,
    );
  });

  test('inspect --json, --verify and --assignment', async () => {
    const out = join(dir, 'cora3');
    assert.equal(
      (
        await fanout([
          'partition',
          '--input',
          CORA,
          '--parts',
          '3',
          '--out',
          out,
          '--balance',
          'edges',
          '--seed',
          '5',
          '-q',
        ])
      ).code,
      0,
    );
    const assignmentFile = join(dir, 'assignment.txt');
    const r = await fanout([
      'inspect',
      join(out, 'manifest.json'),
      '--json',
      '--verify',
      '--assignment',
      assignmentFile,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    for (const key of ['graph_name', 'num_parts', 'num_nodes', 'num_edges', 'part_method']) assert.ok(key in s, key);
    assert.equal(typeof s.stats.edge_cut, 'number');
    assert.equal(typeof s.stats.edge_cut_ratio, 'number');
    assert.equal(s.parts[2].num_nodes + s.parts[1].num_nodes + s.parts[0].num_nodes, 2708);
    assert.equal(s.verified, true);
    const lines = (await readFile(assignmentFile, 'utf8')).trimEnd().split('\n').map(Number);
    assert.equal(lines.length, 2708);
    const pg = await PartitionedGraph.open(out);
    const { internalOfOrig } = await pg.readIdMaps('_N');
    lines.forEach((part, orig) => {
      const [start, end] = pg.manifest.node_map._N[part];
      assert.ok(internalOfOrig[orig] >= start && internalOfOrig[orig] < end);
    });
    const human = await fanout(['inspect', out]);
    assert.match(human.stdout, /graph cora: 2,708 nodes, 10,556 arcs/);
  });

  test('generate, then partition the Arrow tables', async () => {
    const raw = join(dir, 'gen');
    const g = await fanout([
      'generate',
      '--nodes',
      '5000',
      '--edges',
      '40000',
      '--feat-dim',
      '8',
      '--classes',
      '4',
      '--weights',
      '--time',
      '--out',
      raw,
      '--json',
    ]);
    assert.equal(g.code, 0, g.stderr);
    assert.deepEqual(JSON.parse(g.stdout).edges, 40000);
    const r = await fanout(['partition', '--input', raw, '--parts', '8', '--out', join(dir, 'gen-p8'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout);
    assert.equal(m.num_edges, 40000);
    assert.deepEqual(m.edge_columns['_N:_E:_N'], ['weight', 'time']);
  });

  test('bad input: usage errors exit 2, reported errors exit 1 with a code', async () => {
    const usage = await fanout(['partition', '--input', CORA, '--parts', '0', '--out', join(dir, 'x')]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--parts/);
    const missing = await fanout([
      'partition',
      '--input',
      join(dir, 'nope.txt'),
      '--parts',
      '2',
      '--out',
      join(dir, 'x'),
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\[NOT_FOUND\].*nope\.txt/);
    const tooMany = await fanout(['partition', '--input', CORA, '--parts', '5000', '--out', join(dir, 'x'), '--json']);
    assert.equal(tooMany.code, 1);
    assert.equal(tooMany.stdout, '');
    assert.match(tooMany.stderr, /\[INVALID_ARGUMENT\].*at most 2708 parts/);
    const badManifest = await fanout(['inspect', join(dir, 'nowhere')]);
    assert.equal(badManifest.code, 1);
    assert.match(badManifest.stderr, /\[NOT_FOUND\]/);
  });
});

describe('fanout train-links', () => {
  test('holds links out, partitions the rest, trains, and prints an epoch line and a summary; saves the encoder', async () => {
    const raw = join(dir, 'links-raw');
    const g = await fanout(['generate', '--nodes', '120', '--edges', '600', '--feat-dim', '8', '--out', raw, '-q']);
    assert.equal(g.code, 0, g.stderr);
    const saved = join(dir, 'links-model');
    const r = await fanout([
      'train-links',
      '--input',
      raw,
      '--undirected',
      '--epochs',
      '1',
      '--fanouts',
      '5',
      '--hidden',
      '16',
      '--save',
      saved,
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [epoch, summary] = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(Object.keys(epoch).sort(), [
      'epoch',
      'loss',
      'seconds',
      'test_auc',
      'test_mrr',
      'val_auc',
      'val_mrr',
    ]);
    for (const key of ['val_auc', 'test_auc', 'test_mrr']) assert.ok(summary[key] >= 0 && summary[key] <= 1, key);
    assert.equal(summary.summary, true);
    assert.ok(summary.links.val > 0 && summary.links.test > 0 && summary.links.train > summary.links.test);
    assert.ok(JSON.parse(await readFile(join(saved, 'model.json'), 'utf8')));
    const bad = await fanout(['train-links', '--input', raw, '--val', '1.5']);
    assert.equal(bad.code, 2);
  });
});

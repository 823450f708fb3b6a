import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import { ingestGraph } from '../ingest/index.ts';
import { partitionGraph } from '../partition/index.ts';
import type { DistNeighborSampler } from '../sampling/index.ts';
import { LocalStore } from '../storage/index.ts';
import { createInvoker } from '../transport/index.ts';
import { GraphCatalog, type ServedGraph } from './graph-catalog.ts';

const CORA = new URL('../../../../data/cora', import.meta.url).pathname;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-catalog-'));
  const graph = await ingestGraph({ input: CORA, name: 'cora' });
  await partitionGraph(graph, new LocalStore(join(dir, 'cora')), { numParts: 2, method: 'random' });
});
after(() => rm(dir, { recursive: true, force: true }));

test('a new version that does not open is reported, and the previous version keeps serving', async () => {
  const errors: Record<string, unknown>[] = [];
  const catalog = new GraphCatalog({
    root: dir,
    refreshMs: 0,
    invokerFor: (g) => createInvoker(g, 'inprocess'),
    logger: { info: () => {}, error: (_, attributes) => errors.push(attributes) },
  });
  try {
    const manifestPath = join(dir, 'cora', 'manifest.json');
    const good = await readFile(manifestPath, 'utf8');
    const first = await catalog.get('cora');
    const sampleOf = (served: ServedGraph) =>
      (served.sampler as DistNeighborSampler).sample([1, 2], { num_neighbors: [3] });
    const sample = await sampleOf(first);

    const manifest = JSON.parse(good);
    for (const [broken, code] of [
      [JSON.stringify({ ...manifest, version: 2 }), 'UNSUPPORTED_VERSION'],
      [good.slice(0, good.length / 2), 'INVALID_MANIFEST'],
      [JSON.stringify({ ...manifest, node_map: 'nope' }), 'INVALID_MANIFEST'],
    ] as const) {
      await writeFile(manifestPath, broken);
      const served = await catalog.get('cora');
      assert.equal(served, first, `still the previous version after ${code}`);
      assert.deepEqual(await sampleOf(served), sample);
      assert.ok(isFanoutError(errors.at(-1)?.error, code), `${code} reported: ${String(errors.at(-1)?.error)}`);
    }
    assert.equal(errors.length, 3);

    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    const next = await catalog.get('cora');
    assert.notEqual(next, first, 'a valid new manifest is picked up');
    assert.equal(next.graph.manifest.num_nodes, 2708);
  } finally {
    await catalog.close();
  }
});

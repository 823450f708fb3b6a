import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PartitionedGraph } from '../format/index.ts';
import { generateHeteroGraph } from '../generate/index.ts';
import { LocalStore } from '../storage/index.ts';
import { runPartitionJob } from './partition-job.ts';

const CORA = new URL('../../../../data/cora', import.meta.url).pathname;
let bucket: string;
before(async () => {
  bucket = await mkdtemp(join(tmpdir(), 'fanout-job-'));
  await cp(CORA, join(bucket, 'raw', 'cora'), { recursive: true });
});
after(() => rm(bucket, { recursive: true, force: true }));

const writeSpec = (parts: number) =>
  writeFile(
    join(bucket, 'raw', 'cora', 'job.json'),
    JSON.stringify({ input: 'raw/cora/', format: 'ogb', parts, method: 'random' }),
  );

test('publishing is atomic: readers during a new version’s job see the old version or the new one, whole', async () => {
  await writeSpec(2);
  const first = await runPartitionJob('raw/cora/job.json', { bucket });
  assert.equal(first.status, 'published');

  await writeSpec(3);
  const store = new LocalStore(bucket);
  const seen = new Map<string, number>();
  let running = true;
  const job = runPartitionJob('raw/cora/job.json', { bucket }).finally(() => {
    running = false;
  });
  // While the job runs, and once after, open the graph's current manifest and read every file it names.
  let reads = 0;
  const read = async () => {
    const graph = await PartitionedGraph.fromStore(store, 'graphs/cora/manifest.json');
    await graph.verify();
    seen.set(graph.manifest.graph_version!, graph.manifest.num_parts);
    reads++;
  };
  while (running) await read();
  const second = await job;
  await read();
  assert.ok(first.status === 'published' && second.status === 'published');
  assert.deepEqual(Object.fromEntries(seen), { [first.version]: 2, [second.version]: 3 });
  assert.ok(reads > 2, `${reads} reads while the job ran`);
});

test('a partition job takes the heterogeneous Arrow layout and publishes every type', async () => {
  await generateHeteroGraph(new LocalStore(join(bucket, 'raw', 'typed')), {
    ntypes: { user: 40, item: 60 },
    etypes: { 'user:rates:item': 300, 'user:follows:user': 80 },
    seed: 4,
  });
  await writeFile(
    join(bucket, 'raw', 'typed', 'job.json'),
    JSON.stringify({ input: 'raw/typed/', format: 'arrow', parts: 2, undirected: true }),
  );
  const outcome = await runPartitionJob('raw/typed/job.json', { bucket });
  assert.equal(outcome.status, 'published', JSON.stringify(outcome));
  const graph = await PartitionedGraph.fromStore(new LocalStore(bucket), 'graphs/typed/manifest.json');
  await graph.verify();
  assert.deepEqual(Object.keys(graph.manifest.ntypes), ['item', 'user']);
  assert.deepEqual(Object.keys(graph.manifest.etypes), ['user:follows:user', 'user:rates:item', 'item:rev_rates:user']);
  assert.equal(graph.manifest.num_nodes, 100);
});

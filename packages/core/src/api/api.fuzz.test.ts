import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { ingestGraph } from '../ingest/index.ts';
import { partitionGraph } from '../partition/index.ts';
import { LocalStore } from '../storage/index.ts';
import { createInvoker } from '../transport/index.ts';
import { createApi } from './app.ts';
import { GraphCatalog } from './graph-catalog.ts';

/**
 * Hostile requests for the API (issue 8): 10,000 seeded requests a run, random and structure-aware — valid bodies
 * with one field mutated, wrong types, huge arrays, deep nesting, NaN and Infinity as bare tokens, negative and huge
 * IDs, unicode and encoded graph names, broken JSON. Every answer is a 2xx or a 4xx problem document: never a 5xx.
 */
const SEED = 20261121;
const TOKEN = 'fuzz-token';
const quiet = { info: () => {}, error: () => {} };
let dir: string;
let catalog: GraphCatalog;
let app: ReturnType<typeof createApi>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-fuzz-api-'));
  const graph = await ingestGraph({ input: new URL('../../../../data/cora', import.meta.url).pathname, name: 'cora' });
  await partitionGraph(graph, new LocalStore(join(dir, 'cora')), { numParts: 2, method: 'random' });
  catalog = new GraphCatalog({ root: dir, invokerFor: (g) => createInvoker(g, 'inprocess'), logger: quiet });
  app = createApi({ catalog, token: TOKEN, logger: quiet, limits: { maxBodyBytes: 256 * 1024 } });
});
after(async () => {
  await catalog.close();
  await rm(dir, { recursive: true, force: true });
});

const weird = fc.oneof(
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.object({ maxDepth: 2 }),
);
const id = fc.oneof(
  fc.integer({ min: 0, max: 2707 }),
  fc.integer({ min: 2708, max: 2 ** 31 }),
  fc.integer({ min: -5, max: -1 }),
  fc.double(),
);
const seeds = fc.oneof(
  fc.uniqueArray(fc.integer({ min: 0, max: 2707 }), { minLength: 1, maxLength: 40 }),
  fc.array(id, { maxLength: 20 }),
  fc.constant(Array.from({ length: 20_000 }, (_, i) => i % 2708)),
  weird,
);
const fanouts = fc.oneof(
  fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
  fc.array(fc.integer({ min: -3, max: 10_000 }), { maxLength: 20 }),
  fc.dictionary(fc.string(), fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 3 })),
  weird,
);
const sampleBody = fc.record(
  {
    seeds,
    num_neighbors: fanouts,
    seed: fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), weird),
    batch: fc.oneof(fc.integer({ min: 0, max: 100 }), weird),
    replace: fc.oneof(fc.boolean(), weird),
    disjoint: fc.oneof(fc.boolean(), weird),
    input_type: fc.oneof(fc.constant('_N'), fc.string()),
    weight_attr: fc.oneof(fc.constant('weight'), weird),
    seed_time: fc.oneof(fc.integer(), weird),
    extra: weird,
  },
  { requiredKeys: [] },
);
const linksBody = fc.record(
  {
    src: seeds,
    dst: seeds,
    num_neighbors: fanouts,
    neg_sampling: fc.oneof(
      fc.record({ mode: fc.constantFrom('binary', 'triplet', 'x'), amount: fc.oneof(fc.double(), weird) }),
      weird,
    ),
    edge_label_time: fc.oneof(fc.array(fc.integer(), { maxLength: 5 }), weird),
  },
  { requiredKeys: [] },
);
const featuresBody = fc.record(
  {
    ids: seeds,
    ntype: fc.oneof(fc.constant('_N'), fc.string()),
    features: fc.oneof(fc.constant(['feat', 'label']), weird),
  },
  { requiredKeys: [] },
);

/** JSON text of a body, or of something that is not quite JSON: bare NaN/Infinity, truncation, deep nesting. */
const bodyText = (body: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: body.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: body.map((b) => JSON.stringify(b).replace(/\d+(\.\d+)?/, () => 'NaN')) },
    { weight: 1, arbitrary: body.map((b) => JSON.stringify(b).replace(/\d+/, 'Infinity')) },
    { weight: 1, arbitrary: fc.tuple(body, fc.nat()).map(([b, n]) => JSON.stringify(b).slice(0, n % 50)) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 100_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  );

const graphName = fc.oneof(
  { weight: 8, arbitrary: fc.constant('cora') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('..', '../cora', 'cora/../cora', '%2e%2e', 'cora%00', '.cora', 'CORA', 'c'.repeat(300)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

const request = fc.oneof(
  fc.tuple(graphName, fc.constant('sample'), bodyText(sampleBody)),
  fc.tuple(graphName, fc.constant('sample-links'), bodyText(linksBody)),
  fc.tuple(graphName, fc.constant('features'), bodyText(featuresBody)),
  fc.tuple(graphName, fc.constant(''), fc.constant('')),
);

test('10,000 hostile requests: every answer is 2xx or a 4xx problem, memory stays bounded', async (t) => {
  const rssBefore = process.memoryUsage().rss;
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(request, fc.boolean(), async ([graph, route, body], encode) => {
      const name = encode ? encodeURIComponent(graph) : graph;
      const path = `/v1/graphs/${name}${route ? `/${route}` : ''}`;
      let response: Response;
      try {
        response = await app.request(path, {
          method: route ? 'POST' : 'GET',
          body: route ? body : undefined,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        });
      } catch (error) {
        // A path no URL can hold (the request never reaches the app) is the client library's refusal, not ours.
        assert.ok(error instanceof TypeError, String(error));
        return;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      assert.ok(response.status < 500, `${path} ${body.slice(0, 200)} → ${response.status} ${text}`);
      if (response.status >= 400) {
        assert.equal(response.headers.get('content-type'), 'application/problem+json');
        assert.equal(typeof (JSON.parse(text) as { code: string }).code, 'string');
      }
    }),
    { numRuns: 10_000, seed: SEED },
  );
  assert.ok((statuses.get(200) ?? 0) > 100, `some requests are valid: ${JSON.stringify([...statuses])}`);
  const grown = process.memoryUsage().rss - rssBefore;
  t.diagnostic(`statuses ${JSON.stringify(Object.fromEntries(statuses))}, RSS +${Math.round(grown / 2 ** 20)} MB`);
  assert.ok(grown < 512 * 2 ** 20, `RSS grew ${Math.round(grown / 2 ** 20)} MB`);
});

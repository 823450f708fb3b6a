import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import { FeatureStore } from '../features/index.ts';
import { PartitionedGraph } from '../format/index.ts';
import { ingestGraph } from '../ingest/index.ts';
import { partitionGraph } from '../partition/index.ts';
import { DistNeighborSampler, HeteroNeighborSampler, LinkNeighborSampler } from '../sampling/index.ts';
import { LocalStore } from '../storage/index.ts';
import { academicGraph } from '../testing/small-graphs.ts';
import { createInvoker } from '../transport/index.ts';
import { createApi } from './app.ts';
import { ARROW_STREAM } from './content.ts';
import { GraphCatalog } from './graph-catalog.ts';
import { createApiLambdaHandler } from './lambda.ts';

const CORA = new URL('../../../../data/cora', import.meta.url).pathname;
const TOKEN = 's3cret-token';
let dir: string;
let catalog: GraphCatalog;
let app: ReturnType<typeof createApi>;
let reference: DistNeighborSampler;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-api-'));
  const graph = await ingestGraph({ input: CORA, name: 'cora' });
  await partitionGraph(graph, new LocalStore(join(dir, 'graphs', 'cora')), { numParts: 3, method: 'random' });
  catalog = new GraphCatalog({ root: join(dir, 'graphs'), invokerFor: (g) => createInvoker(g, 'inprocess') });
  app = createApi({
    catalog,
    token: TOKEN,
    limits: { maxSeeds: 500, maxBodyBytes: 64 * 1024, maxFeatureValues: 1_000_000 },
  });
  const opened = await PartitionedGraph.open(join(dir, 'graphs', 'cora'));
  reference = new DistNeighborSampler(opened, createInvoker(opened, 'inprocess'));
});
after(async () => {
  await catalog.close();
  await reference.invoker.close();
  await rm(dir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${TOKEN}` };
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...auth, ...headers },
  });

async function expectProblem(response: Response, status: number, code: string) {
  assert.equal(response.status, status, await response.clone().text());
  assert.equal(response.headers.get('content-type'), 'application/problem+json');
  const body = (await response.json()) as { code: string; status: number; detail: string };
  assert.equal(body.code, code);
  assert.equal(body.status, status);
  assert.ok(body.detail.length > 0);
}

describe('the HTTP sampling API', () => {
  test('lists and describes graphs', async () => {
    const list = await app.request('/v1/graphs', { headers: auth });
    assert.deepEqual(await list.json(), { graphs: [{ name: 'cora' }] });
    const summary = (await (await app.request('/v1/graphs/cora', { headers: auth })).json()) as Record<string, unknown>;
    assert.equal(summary.name, 'cora');
    assert.equal(summary.num_nodes, 2708);
    assert.equal(summary.num_parts, 3);
  });

  test('samples exactly what the library samples, as JSON and as Arrow, with its cost reported', async () => {
    const request = { seeds: [0, 5, 2707, 100], num_neighbors: [10, 5], seed: 7, batch: 3 };
    const expected = await reference.sample(request.seeds, { num_neighbors: [10, 5], seed: 7 }, 3);

    const json = await post('/v1/graphs/cora/sample', request);
    assert.equal(json.status, 200);
    const body = (await json.json()) as Record<string, number[]> & { stats: Record<string, number> };
    assert.deepEqual(body.node, [...expected.node]);
    assert.deepEqual(body.row, [...expected.row]);
    assert.deepEqual(body.col, [...expected.col]);
    assert.deepEqual(body.edge, [...expected.edge!].map(Number));
    assert.deepEqual(body.num_sampled_nodes, expected.numSampledNodes);
    assert.deepEqual(body.num_sampled_edges, expected.numSampledEdges);
    assert.equal(body.batch, undefined);
    assert.ok(body.stats.partitions >= 1);
    assert.equal(json.headers.get('fanout-partitions'), String(body.stats.partitions));

    const arrow = await post('/v1/graphs/cora/sample', request, { accept: ARROW_STREAM });
    assert.equal(arrow.headers.get('content-type'), ARROW_STREAM);
    const row = tableFromIPC(new Uint8Array(await arrow.arrayBuffer())).get(0)!;
    assert.deepEqual([...row.node.toArray()], body.node);
    assert.deepEqual([...row.row.toArray()], body.row);
    assert.deepEqual([...row.col.toArray()], body.col);
    assert.deepEqual([...row.edge.toArray()].map(Number), body.edge);
    assert.deepEqual([...row.num_sampled_edges.toArray()], body.num_sampled_edges);
  });

  test('samples links with negatives as the library does, as JSON and as Arrow', async () => {
    const body = {
      src: [0, 1, 2],
      dst: [633, 2, 1],
      num_neighbors: [5, 3],
      seed: 3,
      batch: 1,
      neg_sampling: { mode: 'binary' as const, amount: 2, strict: true },
    };
    const expected = await new LinkNeighborSampler(reference).sample(body.src, body.dst, body, 1);
    const json = await post('/v1/graphs/cora/sample-links', body);
    assert.equal(json.status, 200);
    const out = (await json.json()) as { node: number[]; edge_label_index: number[][]; edge_label: number[] };
    assert.deepEqual(out.node, [...expected.node]);
    assert.deepEqual(out.edge_label_index, [
      [...expected.edgeLabelIndex!.subarray(0, 9)],
      [...expected.edgeLabelIndex!.subarray(9)],
    ]);
    assert.deepEqual(out.edge_label, [1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const arrow = await post('/v1/graphs/cora/sample-links', body, { accept: ARROW_STREAM });
    const row = tableFromIPC(new Uint8Array(await arrow.arrayBuffer())).get(0)!;
    assert.deepEqual([...row.edge_label_index.toArray()], [...expected.edgeLabelIndex!]);
    await expectProblem(
      await post('/v1/graphs/cora/sample-links', { src: [1], dst: [2, 3], num_neighbors: [2] }),
      400,
      'INVALID_ARGUMENT',
    );
  });

  test('disjoint samples carry batch', async () => {
    const body = (await (
      await post('/v1/graphs/cora/sample', { seeds: [1, 1], num_neighbors: [3], disjoint: true })
    ).json()) as { batch: number[]; node: number[] };
    assert.equal(body.batch.length, body.node.length);
    assert.deepEqual(body.batch.slice(0, 2), [0, 1]);
  });

  test('bad bodies are 400 problems with a code', async () => {
    await expectProblem(await post('/v1/graphs/cora/sample', { num_neighbors: [5] }), 400, 'INVALID_ARGUMENT');
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: [1], num_neighbors: [0] }),
      400,
      'INVALID_ARGUMENT',
    );
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: ['1'], num_neighbors: [5] }),
      400,
      'INVALID_ARGUMENT',
    );
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: [1], num_neighbors: [5], fanouts: [2] }),
      400,
      'INVALID_ARGUMENT',
    );
    await expectProblem(await post('/v1/graphs/cora/sample', '{"seeds": [1'), 400, 'INVALID_ARGUMENT');
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: [3, 3], num_neighbors: [5] }),
      400,
      'INVALID_ARGUMENT',
    );
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: [1, 2708], num_neighbors: [5] }),
      400,
      'UNKNOWN_NODE',
    );
    const unweighted = await post('/v1/graphs/cora/sample', { seeds: [1], num_neighbors: [5], weight_attr: 'weight' });
    await expectProblem(unweighted.clone(), 400, 'INVALID_ARGUMENT');
    assert.match(((await unweighted.json()) as { detail: string }).detail, /no edge weights/);
  });

  test('limits: body size, seeds and the product of fanouts are 413 problems', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => i);
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: many, num_neighbors: [5] }),
      413,
      'LIMIT_EXCEEDED',
    );
    const some = Array.from({ length: 501 }, (_, i) => i);
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: some, num_neighbors: [5] }),
      413,
      'LIMIT_EXCEEDED',
    );
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: [1], num_neighbors: [100, 100, 2] }),
      413,
      'LIMIT_EXCEEDED',
    );
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: [1], num_neighbors: [-1] }),
      413,
      'LIMIT_EXCEEDED',
    );
  });

  test('unknown graphs are 404; names that try to leave the prefix are refused', async () => {
    await expectProblem(await app.request('/v1/graphs/citeseer', { headers: auth }), 404, 'NOT_FOUND');
    await expectProblem(await post('/v1/graphs/nope/sample', { seeds: [1], num_neighbors: [5] }), 404, 'NOT_FOUND');
    for (const name of [
      '..',
      '%2E%2E',
      '..%2Fcora',
      'a%2Fb',
      '%2Fetc',
      'cora%00',
      '.hidden',
      'a%5Cb',
      'x'.repeat(300),
    ]) {
      const response = await app.request(`/v1/graphs/${name}`, { headers: auth });
      assert.ok([400, 404].includes(response.status), `${name}: ${response.status}`);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
    }
    await expectProblem(await app.request('/v1/graphs/..%2Fgraphs%2Fcora', { headers: auth }), 400, 'INVALID_ARGUMENT');
  });

  test('serves node features and labels by original ID, as JSON and as Arrow', async () => {
    const ids = [2707, 0, 1000, 5];
    const store = new FeatureStore(await PartitionedGraph.open(join(dir, 'graphs', 'cora')));
    const expected = await store.lookupOriginal('_N', 'feat', ids);
    const labels = await store.labels('_N', await store.toInternal('_N', ids));

    const json = await post('/v1/graphs/cora/features', { ids });
    assert.equal(json.status, 200);
    const body = (await json.json()) as {
      ntype: string;
      ids: number[];
      features: { feat: number[][]; label: number[] };
    };
    assert.equal(body.ntype, '_N');
    assert.deepEqual(body.ids, ids);
    assert.deepEqual(body.features.feat.flat(), [...expected.data]);
    assert.equal(body.features.feat[0].length, expected.dim);
    assert.deepEqual(body.features.label, [...labels]);

    const arrow = await post('/v1/graphs/cora/features', { ids, features: ['feat'] }, { accept: ARROW_STREAM });
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    assert.deepEqual(
      table.schema.fields.map((f) => f.name),
      ['id', 'feat'],
    );
    assert.deepEqual([...table.getChild('id')!.toArray()], ids);
    assert.deepEqual(
      [...table.getChild('feat')!.get(2)!],
      [...expected.data.subarray(2 * expected.dim, 3 * expected.dim)],
    );

    await expectProblem(await post('/v1/graphs/cora/features', { ids, features: ['nope'] }), 400, 'INVALID_ARGUMENT');
    await expectProblem(await post('/v1/graphs/cora/features', { ids: [1, 99_999] }), 400, 'UNKNOWN_NODE');
    const many = Array.from({ length: 2000 }, (_, i) => i);
    await expectProblem(await post('/v1/graphs/cora/features', { ids: many }), 413, 'LIMIT_EXCEEDED');
  });

  test('bearer auth is enforced when configured; the OpenAPI document is public', async () => {
    await expectProblem(await app.request('/v1/graphs'), 401, 'UNAUTHORIZED');
    await expectProblem(
      await app.request('/v1/graphs', { headers: { authorization: 'Bearer wrong' } }),
      401,
      'UNAUTHORIZED',
    );
    const doc = (await (await app.request('/v1/openapi.json')).json()) as { paths: Record<string, unknown> };
    assert.ok('/v1/graphs/{graph}/sample' in doc.paths);
    assert.ok('/v1/graphs' in doc.paths);
  });
});

describe('the HTTP sampling API on a heterogeneous graph', () => {
  const typed = academicGraph();
  let heteroCatalog: GraphCatalog;
  let heteroApp: ReturnType<typeof createApi>;
  let library: HeteroNeighborSampler;
  before(async () => {
    const root = join(dir, 'typed-graphs');
    await partitionGraph(typed, new LocalStore(join(root, 'academic')), { numParts: 2, method: 'random' });
    heteroCatalog = new GraphCatalog({ root, invokerFor: (g) => createInvoker(g, 'inprocess') });
    heteroApp = createApi({ catalog: heteroCatalog, limits: { maxFanoutProduct: 50 } });
    const opened = await PartitionedGraph.open(join(root, 'academic'));
    library = new HeteroNeighborSampler(opened, createInvoker(opened, 'inprocess'));
  });
  after(() => heteroCatalog.close());
  const postTyped = (body: unknown, headers: Record<string, string> = {}) =>
    heteroApp.request('/v1/graphs/academic/sample', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });

  test('samples per edge type fanouts into per type fields, as JSON and as Arrow, as the library does', async () => {
    const num_neighbors = {
      'author:writes:paper': [2, 1],
      'paper:cites:paper': [1, 2],
      'paper:written_by:author': [0, 2],
    };
    const expected = await library.sample('paper', [0, 2], { num_neighbors, seed: 3 }, 5);
    const request = { seeds: [0, 2], input_type: 'paper', num_neighbors, seed: 3, batch: 5 };
    const json = await postTyped(request);
    assert.equal(json.status, 200, await json.clone().text());
    const body = (await json.json()) as Record<string, Record<string, number[]>>;
    const plain = (record: Record<string, ArrayLike<number | bigint>>) =>
      Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Array.from(v, Number)]));
    assert.deepEqual(body.node, plain(expected.node));
    assert.deepEqual(body.row, plain(expected.row));
    assert.deepEqual(body.col, plain(expected.col));
    assert.deepEqual(body.edge, plain(expected.edge!));
    assert.deepEqual(body.num_sampled_nodes, expected.numSampledNodes);
    assert.deepEqual(body.num_sampled_edges, expected.numSampledEdges);
    assert.ok(Number(json.headers.get('Fanout-Partitions')) >= 1);

    const arrow = await postTyped(request, { accept: ARROW_STREAM });
    assert.equal(arrow.headers.get('content-type'), ARROW_STREAM);
    const row = tableFromIPC(new Uint8Array(await arrow.arrayBuffer())).get(0)!;
    assert.deepEqual([...row['node[author]']], [...expected.node.author]);
    assert.deepEqual([...row['row[paper:cites:paper]']], [...expected.row['paper:cites:paper']]);
    assert.deepEqual(
      [...row['num_sampled_edges[author:writes:paper]']],
      expected.numSampledEdges['author:writes:paper'],
    );
  });

  test('a list of fanouts serves every edge type; the seed type is required; link sampling is refused', async () => {
    const expected = await library.sample('author', [1], { num_neighbors: [1, 1] });
    const body = (await (await postTyped({ seeds: [1], input_type: 'author', num_neighbors: [1, 1] })).json()) as {
      node: Record<string, number[]>;
    };
    assert.deepEqual(body.node.paper, [...expected.node.paper]);
    await expectProblem(await postTyped({ seeds: [1], num_neighbors: [1] }), 400, 'INVALID_ARGUMENT');
    await expectProblem(
      await postTyped({ seeds: [1], input_type: 'venue', num_neighbors: [1] }),
      400,
      'INVALID_ARGUMENT',
    );
    await expectProblem(await postTyped({ seeds: [9], input_type: 'author', num_neighbors: [1] }), 400, 'UNKNOWN_NODE');
    await expectProblem(
      await postTyped({ seeds: [1], input_type: 'author', num_neighbors: { 'paper:cites:paper': [1] } }),
      400,
      'INVALID_ARGUMENT',
    );
    // (2 + 2 + 2) × (5 + 5 + 5) = 90 edges per seed is over this API's 50.
    await expectProblem(
      await postTyped({ seeds: [1], input_type: 'author', num_neighbors: [2, 5] }),
      413,
      'LIMIT_EXCEEDED',
    );
    const links = await heteroApp.request('/v1/graphs/academic/sample-links', {
      method: 'POST',
      body: JSON.stringify({ src: [0], dst: [1], num_neighbors: [1] }),
      headers: { 'content-type': 'application/json' },
    });
    await expectProblem(links, 400, 'INVALID_ARGUMENT');
  });

  test('a homogeneous graph refuses per type fanouts and a foreign input_type', async () => {
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: [1], num_neighbors: { '_N:_E:_N': [2] } }),
      400,
      'INVALID_ARGUMENT',
    );
    await expectProblem(
      await post('/v1/graphs/cora/sample', { seeds: [1], input_type: 'paper', num_neighbors: [2] }),
      400,
      'INVALID_ARGUMENT',
    );
    assert.equal(
      (await post('/v1/graphs/cora/sample', { seeds: [1], input_type: '_N', num_neighbors: [2] })).status,
      200,
    );
  });
});

test('sample-links passes edge_label_time and disjoint through: Cora has no times, so temporal links are a 400', async () => {
  await expectProblem(
    await post('/v1/graphs/cora/sample-links', { src: [0], dst: [633], num_neighbors: [2], edge_label_time: [5] }),
    400,
    'INVALID_ARGUMENT',
  );
  await expectProblem(
    await post('/v1/graphs/cora/sample', { seeds: [0], num_neighbors: [2], time_attr: 'nbr_time', seed_time: 5 }),
    400,
    'INVALID_ARGUMENT',
  );
  const disjoint = await post('/v1/graphs/cora/sample-links', {
    src: [0, 1],
    dst: [633, 2],
    num_neighbors: [2],
    disjoint: true,
  });
  const body = (await disjoint.json()) as { batch: number[]; edge_label_index: number[][] };
  assert.deepEqual(body.edge_label_index, [
    [0, 1],
    [2, 3],
  ]);
  assert.deepEqual(body.batch.slice(0, 4), [0, 1, 0, 1]);
});

test('every request logs one structured line with its request ID, and never the token; CORS stays off', async () => {
  const lines: { message: string; attributes: Record<string, unknown> }[] = [];
  const record = (message: string, attributes: Record<string, unknown>) => lines.push({ message, attributes });
  const logged = createApi({ catalog, token: TOKEN, logger: { info: record, error: record } });
  const response = await logged.request('/v1/graphs/cora/sample', {
    method: 'POST',
    body: JSON.stringify({ seeds: [1], num_neighbors: [2] }),
    headers: {
      'content-type': 'application/json',
      origin: 'https://elsewhere.example',
      ...auth,
      'x-request-id': 'trace-42',
    },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-request-id'), 'trace-42');
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  const denied = await logged.request('/v1/graphs', { headers: { authorization: `Bearer ${TOKEN}x` } });
  assert.equal(denied.status, 401);
  assert.ok(denied.headers.get('x-request-id'), 'a generated ID');
  assert.equal(lines.length, 2);
  assert.deepEqual(
    { ...lines[0].attributes, ms: 0 },
    {
      request_id: 'trace-42',
      method: 'POST',
      path: '/v1/graphs/cora/sample',
      status: 200,
      ms: 0,
      invocations: 0,
      bytes: 0,
    },
  );
  assert.equal(lines[1].attributes.status, 401);
  assert.ok(!JSON.stringify(lines).includes(TOKEN), 'the token never reaches the log');
});

describe('the API on Lambda', () => {
  /** An API Gateway HTTP API (payload 2.0) event, as Lambda hands it to the function. */
  const event = (path: string, body: unknown, headers: Record<string, string>) => ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example', 'content-type': 'application/json', ...auth, ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      authentication: null,
      authorizer: {},
      domainName: 'api.example',
      domainPrefix: 'api',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'gateway-1',
      routeKey: '$default',
      stage: '$default',
      time: '21/Nov/2026:21:00:00 +0000',
      timeEpoch: 1_795_300_000_000,
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  });
  const request = { seeds: [0, 5, 2707, 100], num_neighbors: [10, 5], seed: 7, batch: 3 };
  const quiet = { info() {}, error() {} };

  test('answers what the app answers, an Arrow body base64-encoded as API Gateway wants it', async () => {
    const handler = createApiLambdaHandler({ catalog, token: TOKEN, logger: quiet });
    const result = await handler(event('/v1/graphs/cora/sample', request, { accept: ARROW_STREAM }));
    assert.equal(result.statusCode, 200);
    assert.equal(result.isBase64Encoded, true);
    const direct = await post('/v1/graphs/cora/sample', request, { accept: ARROW_STREAM });
    assert.deepEqual(Buffer.from(result.body, 'base64'), Buffer.from(await direct.arrayBuffer()));
  });

  test("an answer past Lambda's result limit is a 413 problem saying how large it was, not API Gateway's 502", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = { info: (_: string, a: Record<string, unknown>) => lines.push(a), error() {} };
    const handler = createApiLambdaHandler({ catalog, token: TOKEN, logger }, { maxResultBytes: 100_000 });
    const big = { seeds: Array.from({ length: 400 }, (_, i) => i), num_neighbors: [10, 10, 10] };
    const result = await handler(event('/v1/graphs/cora/sample', big, { 'x-request-id': 'trace-7' }));
    assert.equal(result.statusCode, 413);
    assert.equal(result.isBase64Encoded, false);
    assert.equal(result.headers['content-type'], 'application/problem+json');
    assert.equal(result.headers['x-request-id'], 'trace-7', 'the request keeps its ID');
    const problem = JSON.parse(result.body) as { code: string; status: number; detail: string };
    assert.equal(problem.code, 'LIMIT_EXCEEDED');
    assert.equal(problem.status, 413);
    assert.match(problem.detail, /the answer is [\d.]+ MB, over the 0\.1 MB a Lambda function can return/);
    assert.ok(lines.some((l) => l.limit === 100_000 && (l.bytes as number) > 100_000));
    // Answers within the limit pass untouched.
    const small = await handler(event('/v1/graphs/cora/sample', request, {}));
    assert.equal(small.statusCode, 200);
  });
});

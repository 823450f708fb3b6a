import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { type DevProcess, spawnDevStack } from '@fanout/cli/dev-process';
import {
  ARROW_STREAM,
  createInvoker,
  createLambdaClient,
  createS3Client,
  DistNeighborSampler,
  isFanoutError,
  LOCAL_S3_CREDENTIALS,
  type Manifest,
  PartitionedGraph,
  S3Store,
  type SamplerOutput,
} from '@fanout/core';
import { tableFromIPC } from 'apache-arrow';

/**
 * The serverless path end to end over real sockets: `fanout dev` (s3rver, the local Lambda Invoke endpoint running
 * functions/ in worker threads, the HTTP API) in its own process; Cora's raw files and a job.json uploaded through the
 * edge port; the S3-triggered partition job; samples through the HTTP API (JSON and Arrow) and through the Lambda
 * transport with the real @aws-sdk/client-lambda, each equal to the in-process sample.
 */
const ROOT = new URL('../', import.meta.url).pathname;
const TOKEN = 'e2e-token';
let dir: string;
let stack: DevProcess;
let bucket: S3Store;
let s3Client: ReturnType<typeof createS3Client>;
const jobLog: string[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-serverless-'));
  stack = await spawnDevStack({
    dir: join(dir, 's3'),
    args: ['--hop-functions', '2'],
    env: { FANOUT_API_TOKEN: TOKEN },
  });
  s3Client = createS3Client({ endpoint: stack.edge, credentials: LOCAL_S3_CREDENTIALS });
  bucket = new S3Store({ bucket: stack.bucket, client: s3Client });
  await uploadCora();
  await putJob({ input: 'raw/cora', format: 'ogb', parts: 3 });
});

after(async () => {
  s3Client?.destroy();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function uploadCora(): Promise<void> {
  const walk = async (d: string): Promise<string[]> =>
    (await readdir(d, { withFileTypes: true }))
      .flatMap((e) => (e.isDirectory() ? [] : [join(d, e.name)]))
      .concat(
        ...(await Promise.all(
          (await readdir(d, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => walk(join(d, e.name))),
        )),
      );
  const cora = join(ROOT, 'data/cora');
  for (const file of await walk(cora)) await bucket.put(`raw/cora/${relative(cora, file)}`, await readFile(file));
}

/** Writes a job spec and waits until the stack reports the job's outcome. */
async function putJob(spec: unknown): Promise<string> {
  await bucket.put('raw/cora/job.json', Buffer.from(JSON.stringify(spec)));
  const outcome = await stack.nextJob();
  jobLog.push(outcome);
  return outcome;
}

async function currentManifest(): Promise<Manifest> {
  return JSON.parse(Buffer.from(await bucket.get('graphs/cora/manifest.json')).toString('utf8')) as Manifest;
}

async function versions(): Promise<string[]> {
  const page = await bucket.list('graphs/cora/');
  return [...new Set(page.objects.map((o) => o.key.split('/')[2]).filter((v) => v !== 'manifest.json'))];
}

function sampleApi(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${stack.api}/v1/graphs/cora/sample`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
    body: JSON.stringify(body),
  });
}

type Columns = Record<'node' | 'row' | 'col' | 'edge', ArrayLike<number | bigint>>;

function assertSameSample(actual: SamplerOutput | Columns, expected: SamplerOutput) {
  const a = actual as Columns;
  const numbers = (values: ArrayLike<number | bigint>) => Array.from(values, Number);
  for (const field of ['node', 'row', 'col'] as const) assert.deepEqual(numbers(a[field]), [...expected[field]]);
  assert.deepEqual(numbers(a.edge), numbers(expected.edge!));
}

describe('the local serverless stack', () => {
  let inProcess: DistNeighborSampler;
  let graph: PartitionedGraph;

  before(async () => {
    const store = new S3Store({ bucket: stack.bucket, prefix: 'graphs/cora', client: s3Client });
    const current = await PartitionedGraph.fromStore(store, 'manifest.json');
    graph = await PartitionedGraph.fromStore(store, `${current.manifest.graph_version}/manifest.json`);
    inProcess = new DistNeighborSampler(graph, createInvoker(graph, 'inprocess'));
  });

  test('the S3-triggered job published one version, manifest last', async () => {
    assert.match(jobLog[0], /"status":"published"/);
    const manifest = await currentManifest();
    assert.equal(manifest.num_nodes, 2708);
    assert.equal(manifest.num_parts, 3);
    assert.deepEqual(await versions(), [manifest.graph_version]);
  });

  test('the HTTP API samples what the library samples, as JSON and as Arrow', async () => {
    const seeds = [0, 17, 2000, 2707, 5];
    const expected = await inProcess.sample(seeds, { num_neighbors: [15, 10, 5], seed: 11 }, 4);
    const request = { seeds, num_neighbors: [15, 10, 5], seed: 11, batch: 4 };

    const json = await sampleApi(request);
    assert.equal(json.status, 200);
    assert.equal(json.headers.get('fanout-graph-version'), graph.manifest.graph_version);
    assert.ok(Number(json.headers.get('fanout-invocations')) >= 3);
    const body = (await json.json()) as Columns & { num_sampled_nodes: number[] };
    assertSameSample(body, expected);
    assert.deepEqual(body.num_sampled_nodes, expected.numSampledNodes);

    const arrow = await sampleApi(request, { accept: ARROW_STREAM });
    assert.equal(arrow.headers.get('content-type'), ARROW_STREAM);
    const row = tableFromIPC(new Uint8Array(await arrow.arrayBuffer())).get(0)!;
    assertSameSample(
      { node: row.node.toArray(), row: row.row.toArray(), col: row.col.toArray(), edge: row.edge.toArray() },
      expected,
    );
  });

  test('the Lambda transport through the Invoke endpoint and @aws-sdk/client-lambda samples the same', async () => {
    const lambdaClient = createLambdaClient({ endpoint: stack.lambda, credentials: LOCAL_S3_CREDENTIALS });
    const remote = new DistNeighborSampler(
      graph,
      createInvoker(graph, 'lambda', { functions: ['fanout-hop-0', 'fanout-hop-1'], lambdaClient }),
    );
    try {
      const seeds = Array.from({ length: 256 }, (_, i) => (i * 37) % 2708);
      for (const options of [
        { num_neighbors: [10, 10], seed: 1 },
        { num_neighbors: [5, 5], seed: 2, replace: true },
        { num_neighbors: [4, 3], seed: 3, disjoint: true },
      ]) {
        const [a, b] = await Promise.all([inProcess.sample(seeds, options, 9), remote.sample(seeds, options, 9)]);
        assertSameSample(b, a);
        if (options.disjoint) assert.deepEqual([...b.batch!], [...a.batch!]);
      }
      // A typed error raised inside the function comes back with its code.
      const outside: PartitionedGraph = Object.create(graph, {
        uri: { value: 's3://other-bucket/graphs/x/manifest.json' },
      });
      const bad = new DistNeighborSampler(
        outside,
        createInvoker(graph, 'lambda', { functions: ['fanout-hop-0'], lambdaClient, retries: 0 }),
      );
      await assert.rejects(bad.sample([0], { num_neighbors: [2] }), (e) => isFanoutError(e, 'NOT_FOUND'));
      // A function that does not exist is the service's ResourceNotFoundException, not retried.
      const missing = createInvoker(graph, 'lambda', { functions: ['no-such-function'], lambdaClient });
      await assert.rejects(
        new DistNeighborSampler(graph, missing).sample([0], { num_neighbors: [2] }),
        (e) => isFanoutError(e, 'NOT_FOUND') && /no-such-function/.test(e.message),
      );
    } finally {
      await remote.invoker.close();
    }
  });

  test('duplicate events land on the same version', async () => {
    const before = await currentManifest();
    const outcome = await putJob({ input: 'raw/cora', format: 'ogb', parts: 3 });
    assert.match(outcome, /"status":"already-published"/);
    // The same S3 event delivered twice more, straight to the function, through the edge port this time.
    const client = createLambdaClient({ endpoint: stack.edge, credentials: LOCAL_S3_CREDENTIALS });
    const head = await bucket.head('raw/cora/job.json');
    const event = {
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: { bucket: { name: stack.bucket }, object: { key: 'raw/cora/job.json', eTag: head!.etag } },
        },
      ],
    };
    for (let i = 0; i < 2; i++) {
      const out = await client.send(
        new InvokeCommand({ FunctionName: 'fanout-partition-job', Payload: Buffer.from(JSON.stringify(event)) }),
      );
      assert.equal(out.FunctionError, undefined);
      assert.match(Buffer.from(out.Payload!).toString(), /"status":"already-published"/);
    }
    client.destroy();
    assert.deepEqual(await currentManifest(), before);
    assert.deepEqual(await versions(), [before.graph_version]);
  });

  test('a job with corrupt input writes _FAILED and the previous version keeps serving', async () => {
    const before = await currentManifest();
    await bucket.put('raw/broken/raw/edge.csv.gz', Buffer.from('this is not gzip'));
    await bucket.put('raw/broken/raw/num-node-list.csv.gz', Buffer.from('also not gzip'));
    const outcome = await putJob({ input: 'raw/broken', format: 'ogb', parts: 2 });
    assert.match(outcome, /"status":"failed"/);
    const failedVersion = /"version":"(v[0-9a-f]+)"/.exec(outcome)![1];
    const failed = JSON.parse(Buffer.from(await bucket.get(`graphs/cora/${failedVersion}/_FAILED`)).toString());
    assert.equal(typeof failed.code, 'string');
    assert.ok(failed.message.length > 0);
    assert.equal((await currentManifest()).graph_version, before.graph_version);
    assert.equal(await bucket.head(`graphs/cora/${failedVersion}/manifest.json`), undefined);
    const response = await sampleApi({ seeds: [1, 2], num_neighbors: [3] });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('fanout-graph-version'), before.graph_version);
  });

  test('the API over HTTP: auth, problems, limits', async () => {
    const open = await fetch(`${stack.api}/v1/graphs`);
    assert.equal(open.status, 401);
    assert.equal(open.headers.get('content-type'), 'application/problem+json');
    const list = await fetch(`${stack.api}/v1/graphs`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.deepEqual(await list.json(), { graphs: [{ name: 'cora' }] });
    const unknown = await sampleApi({ seeds: [99_999], num_neighbors: [3] });
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as { code: string }).code, 'UNKNOWN_NODE');
    const big = await sampleApi({ seeds: Array.from({ length: 400_000 }, (_, i) => i), num_neighbors: [3] });
    assert.equal(big.status, 413);
    const sneaky = await fetch(`${stack.api}/v1/graphs/..%2F..%2Fraw/sample`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{"seeds":[1],"num_neighbors":[2]}',
    });
    assert.ok([400, 404].includes(sneaky.status));
  });

  test('SIGTERM stops the stack cleanly', async () => {
    assert.equal(await stack.stop(), 0);
  });
});

import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawnDevStack } from '@fanout/cli/dev-process';
import {
  ARROW_STREAM,
  createInvoker,
  createS3Client,
  DistNeighborSampler,
  LOCAL_S3_CREDENTIALS,
  PartitionedGraph,
  pinHeapGrowth,
  S3Store,
  Xoshiro128,
} from '@fanout/core';
import { egoTwitterPath, median, ROOT, WORK } from './child.ts';

const FANOUTS = [15, 10, 5];
const BATCH = 1024;
const BLOCK = 10;
/** Batches each contender serves before its measured ones: JIT tiers in the API and the containers take a dozen. */
const WARMUP = 20;
const HOP_FUNCTIONS = Number(process.env.HOP_FUNCTIONS ?? 2);
const HEDGE = Number(process.env.HEDGE ?? 0.95);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * The API alone (bench/api-process.ts) in a process of its own, over the stack's S3, with hops in its process: what
 * the API and HTTP cost without hop functions.
 */
async function startApiProcess(s3: string, bucket: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/api-process.ts')], {
    env: {
      ...process.env,
      FANOUT_GRAPHS: `s3://${bucket}/graphs`,
      AWS_ENDPOINT_URL_S3: s3,
      AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve((JSON.parse(line) as { url: string }).url),
    );
    child.once('exit', (code) => reject(new Error(`the API process exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

/** Distinct random seeds for each batch, the same for every contender. */
function seedBatches(numNodes: number, batches: number): number[][] {
  const random = new Xoshiro128(7, 'bench-serverless');
  return Array.from({ length: batches }, () => {
    const seen = new Set<number>();
    while (seen.size < BATCH) seen.add(random.nextBelow(numNodes));
    return [...seen];
  });
}

/**
 * The serverless path on ego-Twitter (4 parts) through the local stack, beside the in-process sampler in the same run:
 * a fresh `fanout dev` (s3rver, the Invoke endpoint, the API), the raw graph uploaded and partitioned by the
 * S3-triggered job; then the first batch from cold hop-function containers, and warm API latency with Arrow and with
 * JSON responses, batch 1024, fanouts 15,10,5, with the invocations and bytes each batch cost. The same API with hops
 * in its own process runs beside them, so the hop functions' share of the latency is told from the API's own.
 */
export async function serverlessBench(options: { batches: number }) {
  // This process is the API's client and runs the in-process contender: continuous marking here (fetch's megabytes of
  // response chunks bring it on as they do in the API) would take a core from whichever contender is measured.
  pinHeapGrowth();
  const dir = join(WORK, 'serverless-stack');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  const stack = await spawnDevStack({
    dir,
    args: ['--hop-functions', String(HOP_FUNCTIONS), '--hop-memory', '3008', '--hedge', String(HEDGE)],
  });
  const stackStartMs = performance.now() - started;
  const s3Client = createS3Client({ endpoint: stack.s3, credentials: LOCAL_S3_CREDENTIALS });
  let apiAlone: Awaited<ReturnType<typeof startApiProcess>> | undefined;
  try {
    const bucket = new S3Store({ bucket: stack.bucket, client: s3Client });
    await bucket.put('raw/ego-twitter/ego-twitter.txt.gz', await readFile(egoTwitterPath()));
    const jobStarted = performance.now();
    await bucket.put(
      'raw/ego-twitter/job.json',
      Buffer.from(
        JSON.stringify({ input: 'raw/ego-twitter/ego-twitter.txt.gz', format: 'snap', parts: 4, undirected: true }),
      ),
    );
    const outcome = await stack.nextJob();
    const partitionJobMs = performance.now() - jobStarted;
    if (!outcome.includes('"published"')) throw new Error(`the partition job failed: ${outcome}`);

    const store = new S3Store({ bucket: stack.bucket, prefix: 'graphs/ego-twitter', client: s3Client });
    const current = await PartitionedGraph.fromStore(store, 'manifest.json');
    const graph = await PartitionedGraph.fromStore(store, `${current.manifest.graph_version}/manifest.json`);
    const batches = seedBatches(graph.manifest.num_nodes, 1 + WARMUP + options.batches);

    apiAlone = await startApiProcess(stack.s3, stack.bucket);
    const apiAloneUrl = apiAlone.url;
    const sample = async (seeds: number[], batch: number, accept: string, api = stack.api) => {
      const t0 = performance.now();
      const response = await fetch(`${api}/v1/graphs/ego-twitter/sample`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify({ seeds, num_neighbors: FANOUTS, batch }),
      });
      const bytes = (await response.arrayBuffer()).byteLength;
      if (response.status !== 200) throw new Error(`sample failed: HTTP ${response.status}`);
      const timing = response.headers.get('server-timing') ?? '';
      return {
        ms: performance.now() - t0,
        serverSampleMs: Number(/sample;dur=([\d.]+)/.exec(timing)?.[1]),
        serverEncodeMs: Number(/encode;dur=([\d.]+)/.exec(timing)?.[1]),
        responseBytes: bytes,
        invocations: Number(response.headers.get('fanout-invocations')),
        hopRequests: Number(response.headers.get('fanout-hop-requests')),
        hopBytes: Number(response.headers.get('fanout-bytes')),
      };
    };

    // The hop functions' containers have not started yet: this batch pays their start and their partition loads.
    const cold = await sample(batches[0], 0, ARROW_STREAM);
    type Run = Awaited<ReturnType<typeof sample>>;
    const api = { arrow: [] as Run[], json: [] as Run[], inProcessHops: [] as Run[] };
    const inProcessMs: number[] = [];
    const inProcess = new DistNeighborSampler(graph, createInvoker(graph, 'inprocess'));
    // Warm-up: the API alone and the in-process sampler load their partitions in the first batch, and every
    // contender's code reaches its optimized tiers (slow batches stop after about a dozen).
    for (let b = 1; b <= WARMUP; b++) {
      await sample(batches[b], b, ARROW_STREAM);
      await sample(batches[b], b, 'application/json');
      await sample(batches[b], b, ARROW_STREAM, apiAloneUrl);
      inProcess.recycle(await inProcess.sample(batches[b], { num_neighbors: FANOUTS }, b));
    }
    let edgesPerBatch = 0;
    // Contenders take turns in blocks of BLOCK batches: turns keep slow drifts of the machine fair to all, and blocks
    // keep one contender's leftovers (the in-process sampler's garbage collection on the second core) out of the
    // next one's batches, which per-batch turns did not.
    const last = WARMUP + options.batches;
    for (let from = WARMUP + 1; from <= last; from += BLOCK) {
      const to = Math.min(last, from + BLOCK - 1);
      for (let b = from; b <= to; b++) {
        const t0 = performance.now();
        const out = await inProcess.sample(batches[b], { num_neighbors: FANOUTS }, b);
        inProcessMs.push(performance.now() - t0);
        edgesPerBatch += out.row.length / options.batches;
        inProcess.recycle(out); // as the API recycles its outputs
      }
      for (let b = from; b <= to; b++) api.arrow.push(await sample(batches[b], b, ARROW_STREAM));
      for (let b = from; b <= to; b++) api.json.push(await sample(batches[b], b, 'application/json'));
      for (let b = from; b <= to; b++) api.inProcessHops.push(await sample(batches[b], b, ARROW_STREAM, apiAloneUrl));
    }
    await inProcess.invoker.close();
    const summary = (runs: Run[]) => ({
      p50_ms: median(runs.map((r) => r.ms)),
      p99_ms: percentile(
        runs.map((r) => r.ms),
        0.99,
      ),
      response_bytes: median(runs.map((r) => r.responseBytes)),
      /** Inside the API: sampling through the hop functions, then encoding the response (Server-Timing). */
      server_sample_p50_ms: median(runs.map((r) => r.serverSampleMs)),
      server_encode_p50_ms: median(runs.map((r) => r.serverEncodeMs)),
    });
    const inProcessP50 = median(inProcessMs);
    const arrow = summary(api.arrow);
    return {
      graph: 'ego-twitter',
      parts: 4,
      hop_functions: HOP_FUNCTIONS,
      hedge_percentile: HEDGE,
      batch_size: BATCH,
      fanouts: FANOUTS,
      batches: options.batches,
      warmup_batches: WARMUP,
      edges_per_batch: Math.round(edgesPerBatch),
      stack_start_ms: Math.round(stackStartMs),
      partition_job_ms: Math.round(partitionJobMs),
      cold_first_batch_ms: Math.round(cold.ms),
      in_process: { p50_ms: inProcessP50, p99_ms: percentile(inProcessMs, 0.99) },
      api_arrow: arrow,
      api_json: summary(api.json),
      /** The same API with hops in its own process, no hop functions: the API's and HTTP's own share of the latency. */
      api_arrow_in_process_hops: summary(api.inProcessHops),
      arrow_p50_over_in_process: arrow.p50_ms / inProcessP50,
      arrow_in_process_hops_p50_over_in_process: median(api.inProcessHops.map((r) => r.ms)) / inProcessP50,
      invocations_per_batch: median(api.arrow.map((r) => r.invocations)),
      hop_requests_per_batch: median(api.arrow.map((r) => r.hopRequests)),
      hop_bytes_per_batch: median(api.arrow.map((r) => r.hopBytes)),
    };
  } finally {
    apiAlone?.stop();
    s3Client.destroy();
    await stack.stop();
  }
}

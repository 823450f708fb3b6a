import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { spawnDevStack } from '@fanout/cli/dev-process';
import { createS3Client, LOCAL_S3_CREDENTIALS, S3Store, Xoshiro128 } from '@fanout/core';
import autocannon from 'autocannon';
import { ROOT, WORK } from './child.ts';

const CONNECTIONS = 32;
const BATCH = 64;
const FANOUTS = [10, 5];

/** Resident set size of a process, from /proc (Linux). */
async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/**
 * A load test of the local stack's API (`fanout dev`: s3rver, the Invoke endpoint with 2 hop functions, the API), all
 * on loopback: Cora partitioned by the S3-triggered job, then `CONNECTIONS` concurrent autocannon clients posting
 * sample requests (random distinct seeds, batch 64, fanouts 10,5, a new batch key each) for `seconds`. Reports
 * errors, latency percentiles, throughput, and the stack process's RSS at the start, every 5 s, and at the end.
 */
export async function loadBench(options: { seconds: number }) {
  const dir = join(WORK, 'load-stack');
  await rm(dir, { recursive: true, force: true });
  const stack = await spawnDevStack({ dir, args: ['--hop-functions', '2'] });
  try {
    const bucket = new S3Store({
      bucket: stack.bucket,
      client: createS3Client({ endpoint: stack.s3, credentials: LOCAL_S3_CREDENTIALS }),
    });
    const cora = join(ROOT, 'data/cora');
    for await (const path of files(cora)) await bucket.put(`raw/cora/${relative(cora, path)}`, await readFile(path));
    await bucket.put(
      'raw/cora/job.json',
      Buffer.from(JSON.stringify({ input: 'raw/cora/', format: 'ogb', parts: 4, method: 'multilevel' })),
    );
    const outcome = await stack.nextJob();
    if (!outcome.includes('"published"')) throw new Error(`the partition job failed: ${outcome}`);

    const random = new Xoshiro128(11, 'bench-load');
    const bodies = Array.from({ length: 4096 }, (_, batch) => {
      const seeds = new Set<number>();
      while (seeds.size < BATCH) seeds.add(random.nextBelow(2708));
      return JSON.stringify({ seeds: [...seeds], num_neighbors: FANOUTS, batch });
    });
    const url = `${stack.api}/v1/graphs/cora/sample`;
    for (const body of bodies.slice(0, 20)) {
      const warm = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      if (warm.status !== 200) throw new Error(`warm-up answered ${warm.status}: ${await warm.text()}`);
    }

    const rssStart = await rssBytes(stack.pid);
    const rssSeries: number[] = [];
    const sampler = setInterval(() => {
      rssBytes(stack.pid).then((rss) => rssSeries.push(rss));
    }, 5_000);
    let next = 0;
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: options.seconds,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
        },
      ],
    });
    clearInterval(sampler);
    const rssEnd = await rssBytes(stack.pid);
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    return {
      graph: 'cora (4 parts, multilevel, by the partition job)',
      connections: CONNECTIONS,
      seconds: options.seconds,
      batch_size: BATCH,
      fanouts: FANOUTS,
      requests: result.requests.total,
      requests_per_s: result.requests.average,
      errors: result.errors,
      timeouts: result.timeouts,
      non_2xx: result.non2xx,
      latency_ms: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      throughput_mb_per_s: result.throughput.average / 2 ** 20,
      rss_mb: { start: mb(rssStart), end: mb(rssEnd), every_5s: rssSeries.map(mb) },
    };
  } finally {
    await stack.stop();
  }
}

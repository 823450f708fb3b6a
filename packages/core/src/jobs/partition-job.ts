import { createHash } from 'node:crypto';
import { assertGraphName } from '../api/graph-catalog.ts';
import { FanoutError } from '../errors/index.ts';
import { type FileEntry, MANIFEST_KEY, type Manifest, parseManifest } from '../format/index.ts';
import { ingestGraph } from '../ingest/index.ts';
import { partitionGraph } from '../partition/index.ts';
import type { ProgressListener } from '../progress/index.ts';
import { joinKey, listAll, type ObjectInfo, type ObjectStore, openStore } from '../storage/index.ts';
import { JOB_KEY, type JobSpec, parseJobSpec } from './job-spec.ts';

export const GRAPHS_PREFIX = 'graphs';
export const FAILED_KEY = '_FAILED';

export interface PartitionJobOptions {
  /** URI of the bucket (or directory) holding both `raw/` and `graphs/`: `s3://fanout`. */
  bucket: string;
  /** The job object's ETag from the event: an event about an older job.json than the current one is stale. */
  etag?: string;
  onProgress?: ProgressListener;
}

export type JobOutcome =
  | { status: 'published' | 'already-published'; graph: string; version: string }
  | { status: 'failed'; graph: string; version: string; error: { code: string; message: string } }
  | { status: 'stale' | 'gone'; graph: string };

/**
 * A partition job, started by `raw/<graph>/job.json`: partition the inputs it names into
 * `graphs/<graph>/<version>/…` (the version's manifest last), then publish `graphs/<graph>/manifest.json`, a copy of
 * it whose keys point into `<version>/`. The version is a hash of the spec and of the inputs' keys and ETags, so S3's
 * at-least-once delivery lands duplicates on the same version and a duplicate of a finished job only re-checks that
 * it is published. A job that fails leaves the current manifest alone and writes `<version>/_FAILED` with the error;
 * failures that may pass (storage, transport) are also rethrown, so Lambda's retries run the job again.
 */
export async function runPartitionJob(jobKey: string, options: PartitionJobOptions): Promise<JobOutcome> {
  const match = JOB_KEY.exec(jobKey);
  if (!match) throw new FanoutError('INVALID_ARGUMENT', `${jobKey} is not a job spec key (raw/<graph>/job.json)`);
  const graph = match[1];
  assertGraphName(graph);
  const bucket = openStore(options.bucket);
  const head = await bucket.head(jobKey);
  if (!head) return { status: 'gone', graph };
  if (options.etag !== undefined && unquote(head.etag) !== unquote(options.etag)) return { status: 'stale', graph };

  const specBytes = await bucket.get(jobKey);
  let spec: JobSpec | undefined;
  let inputs: ObjectInfo[] = [];
  let version = versionOf(specBytes, inputs);
  try {
    spec = parseJobSpec(Buffer.from(specBytes).toString('utf8'), `${bucket.uri}/${jobKey}`);
    inputs = await listInputs(bucket, spec.input);
    version = versionOf(specBytes, inputs);
  } catch (error) {
    return fail(bucket, graph, version, error);
  }

  const versionDir = joinKey(GRAPHS_PREFIX, graph, version);
  if (await bucket.head(joinKey(versionDir, MANIFEST_KEY))) {
    await publish(bucket, graph, version);
    return { status: 'already-published', graph, version };
  }
  try {
    const data = await ingestGraph({
      input: `${options.bucket.replace(/\/+$/, '')}/${spec.input.replace(/\/+$/, '')}`,
      format: spec.format,
      undirected: spec.undirected,
      name: graph,
      split: spec.split,
      onProgress: options.onProgress,
    });
    await partitionGraph(data, bucket, {
      numParts: spec.parts,
      method: spec.method,
      balance: spec.balance,
      imbalance: spec.imbalance,
      seed: spec.seed,
      manifestKey: joinKey(versionDir, MANIFEST_KEY),
      graphVersion: version,
      onProgress: options.onProgress,
    });
    await publish(bucket, graph, version);
    return { status: 'published', graph, version };
  } catch (error) {
    return fail(bucket, graph, version, error);
  }
}

/** The input objects: the key itself, or every object under it as a prefix. */
async function listInputs(bucket: ObjectStore, input: string): Promise<ObjectInfo[]> {
  const key = input.replace(/\/+$/, '');
  const single = input.endsWith('/') ? undefined : await bucket.head(key);
  if (single) return [single];
  const objects: ObjectInfo[] = [];
  for await (const object of listAll(bucket, `${key}/`)) objects.push(object);
  if (objects.length === 0) throw new FanoutError('INVALID_INPUT', `no input object at ${bucket.uri}/${key}`);
  return objects;
}

/** A hash of the spec's bytes and the inputs' keys and ETags: the same job on the same inputs, the same version. */
function versionOf(spec: Uint8Array, inputs: ObjectInfo[]): string {
  const hash = createHash('sha256').update(spec);
  for (const o of inputs) hash.update(`\n${o.key}\t${unquote(o.etag)}\t${o.size}`);
  return `v${hash.digest('hex').slice(0, 16)}`;
}

/** Writes the graph's current manifest: the version's, with keys prefixed by the version directory. */
async function publish(bucket: ObjectStore, graph: string, version: string): Promise<void> {
  const current = joinKey(GRAPHS_PREFIX, graph, MANIFEST_KEY);
  const existing = await bucket.head(current);
  if (existing) {
    const published = JSON.parse(Buffer.from(await bucket.get(current)).toString('utf8')) as Manifest;
    if (published.graph_version === version) return;
  }
  const versionKey = joinKey(GRAPHS_PREFIX, graph, version, MANIFEST_KEY);
  const manifest = parseManifest(Buffer.from(await bucket.get(versionKey)).toString('utf8'), versionKey);
  const prefixed = (entry: FileEntry): FileEntry => ({ ...entry, key: joinKey(version, entry.key) });
  const mapEntries = (entries: Record<string, FileEntry>) =>
    Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, prefixed(e)]));
  const out: Manifest = {
    ...manifest,
    ids: mapEntries(manifest.ids),
    parts: manifest.parts.map((p) => ({
      ...p,
      graph: mapEntries(p.graph),
      node_feats: mapEntries(p.node_feats),
      edge_feats: mapEntries(p.edge_feats),
    })),
  };
  await bucket.put(current, Buffer.from(`${JSON.stringify(out, null, 1)}\n`), { contentType: 'application/json' });
}

async function fail(bucket: ObjectStore, graph: string, version: string, error: unknown): Promise<JobOutcome> {
  const e =
    error instanceof FanoutError
      ? error
      : new FanoutError('INVALID_INPUT', (error as Error)?.message ?? String(error), { retryable: false });
  const record = { code: e.code, message: e.message, retryable: e.retryable, failed_at: new Date().toISOString() };
  await bucket.put(
    joinKey(GRAPHS_PREFIX, graph, version, FAILED_KEY),
    Buffer.from(`${JSON.stringify(record, null, 1)}\n`),
    { contentType: 'application/json' },
  );
  if (e.retryable) throw e;
  return { status: 'failed', graph, version, error: { code: e.code, message: e.message } };
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}

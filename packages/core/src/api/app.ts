import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { FanoutError } from '../errors/index.ts';
import { sampleToArrowStream, sampleToJson } from '../sampling/index.ts';
import type { GraphCatalog } from './graph-catalog.ts';
import { errorToProblem, PROBLEM_JSON, problem } from './problem.ts';
import { GraphList, GraphParams, GraphSummary, ProblemSchema, SampleRequest, SampleResponse } from './schemas.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

export interface ApiLimits {
  /** Seeds per request (default 10,000). */
  maxSeeds: number;
  /** The product of the fanouts, a bound on edges per seed (default 10,000; -1 has no bound and is refused). */
  maxFanoutProduct: number;
  /** Request body bytes (default 1 MiB). */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: ApiLimits = { maxSeeds: 10_000, maxFanoutProduct: 10_000, maxBodyBytes: 2 ** 20 };

export interface ApiOptions {
  catalog: GraphCatalog;
  /** Bearer token every request must carry (no auth when unset). */
  token?: string;
  limits?: Partial<ApiLimits>;
}

const problems = {
  content: { [PROBLEM_JSON]: { schema: ProblemSchema } },
  description: 'An RFC 9457 problem with a stable `code`',
};

const listGraphs = createRoute({
  method: 'get',
  path: '/v1/graphs',
  responses: { 200: { content: { 'application/json': { schema: GraphList } }, description: 'Graphs served' } },
});

const getGraph = createRoute({
  method: 'get',
  path: '/v1/graphs/{graph}',
  request: { params: GraphParams },
  responses: {
    200: { content: { 'application/json': { schema: GraphSummary } }, description: 'The current version' },
    400: problems,
    404: problems,
  },
});

const sample = createRoute({
  method: 'post',
  path: '/v1/graphs/{graph}/sample',
  request: {
    params: GraphParams,
    body: { content: { 'application/json': { schema: SampleRequest } }, required: true },
  },
  responses: {
    200: {
      content: {
        'application/json': { schema: SampleResponse },
        [ARROW_STREAM]: { schema: { type: 'string', format: 'binary' } },
      },
      description:
        'A sample in PyG SamplerOutput order. With Accept: application/vnd.apache.arrow.stream, one record batch of one row of list columns with the same fields. Headers Fanout-Invocations, Fanout-Partitions, Fanout-Bytes report its cost.',
    },
    400: problems,
    401: problems,
    404: problems,
    413: problems,
  },
});

/**
 * The HTTP sampling API as one portable Hono app: Lambda runs it through hono/aws-lambda, Node through
 * @hono/node-server, tests through `app.request`.
 */
export function createApi(options: ApiOptions): OpenAPIHono {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { catalog } = options;
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      return problem(c, 'INVALID_ARGUMENT', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    },
  });
  app.onError(errorToProblem);
  app.notFound((c) => problem(c, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`));

  // The OpenAPI document is public; everything else needs the token when one is configured.
  if (options.token) {
    const auth = bearerAuth({ token: options.token });
    app.use('/v1/*', (c, next) => (c.req.path === '/v1/openapi.json' ? next() : auth(c, next)));
  }
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: (c) => problem(c, 'LIMIT_EXCEEDED', `request bodies are limited to ${limits.maxBodyBytes} bytes`),
    }),
  );

  app.openapi(listGraphs, async (c) => c.json({ graphs: (await catalog.list()).map((name) => ({ name })) }, 200));

  app.openapi(getGraph, async (c) => {
    const { name, graph, version } = await catalog.get(c.req.valid('param').graph);
    const m = graph.manifest;
    return c.json(
      {
        name,
        version,
        num_parts: m.num_parts,
        num_nodes: m.num_nodes,
        num_edges: m.num_edges,
        undirected: m.undirected,
        part_method: m.part_method,
        ntypes: m.ntypes,
        etypes: m.etypes,
        node_features: m.node_features,
        edge_cut_ratio: m.stats.edge_cut_ratio,
      },
      200,
    );
  });

  app.openapi(sample, async (c) => {
    const body = c.req.valid('json');
    checkLimits(body.seeds.length, body.num_neighbors, limits);
    const served = await catalog.get(c.req.valid('param').graph);
    const output = await served.sampler.sample(
      body.seeds,
      {
        num_neighbors: body.num_neighbors,
        seed: body.seed,
        replace: body.replace,
        disjoint: body.disjoint,
        return_edge_id: true,
      },
      body.batch ?? 0,
    );
    const { stats } = output;
    c.header('Fanout-Invocations', String(stats.invocations));
    c.header('Fanout-Partitions', String(stats.partitions));
    c.header('Fanout-Bytes', String(stats.bytesSent + stats.bytesReceived));
    if (served.version) c.header('Fanout-Graph-Version', served.version);
    if (wantsArrow(c))
      return c.body(sampleToArrowStream(output) as Uint8Array<ArrayBuffer>, 200, { 'content-type': ARROW_STREAM });
    const statsJson = JSON.stringify({
      invocations: stats.invocations,
      partitions: stats.partitions,
      bytes_sent: stats.bytesSent,
      bytes_received: stats.bytesReceived,
    });
    const json = sampleToJson(output, {}, { stats: statsJson });
    return c.body(json as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/json' });
  });

  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Fanout sampling API', version: '1', description: 'GNN mini-batch sampling over object storage' },
    security: options.token ? [{ bearer: [] }] : [],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  return app;
}

function checkLimits(seeds: number, fanouts: number[], limits: ApiLimits): void {
  if (seeds > limits.maxSeeds) {
    throw new FanoutError(
      'LIMIT_EXCEEDED',
      `${seeds} seeds asked; this API takes at most ${limits.maxSeeds} per request`,
    );
  }
  if (fanouts.some((k) => k < 0)) {
    throw new FanoutError(
      'LIMIT_EXCEEDED',
      'fanout -1 (all neighbors) has no bound; the API samples bounded fanouts (use the library or CLI for full neighborhoods)',
    );
  }
  const product = fanouts.reduce((a, k) => a * k, 1);
  if (product > limits.maxFanoutProduct) {
    throw new FanoutError(
      'LIMIT_EXCEEDED',
      `the product of the fanouts is ${product}; this API takes at most ${limits.maxFanoutProduct}`,
    );
  }
}

function wantsArrow(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes(ARROW_STREAM);
}

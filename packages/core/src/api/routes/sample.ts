import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { sampleToArrowStream, sampleToJson } from '../../sampling/index.ts';
import { ARROW_STREAM, bytes, problems, wantsArrow } from '../content.ts';
import type { GraphCatalog } from '../graph-catalog.ts';
import { type ApiLimits, checkSampleLimits } from '../limits.ts';
import { GraphParams, SampleRequest, SampleResponse } from '../schemas.ts';

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

/** `POST /v1/graphs/{graph}/sample`: one batch of multi-hop neighbor sampling, by original seed IDs. */
export function registerSampleRoute(app: OpenAPIHono, catalog: GraphCatalog, limits: ApiLimits): void {
  app.openapi(sample, async (c) => {
    const body = c.req.valid('json');
    checkSampleLimits(body.seeds.length, body.num_neighbors, limits);
    const served = await catalog.get(c.req.valid('param').graph);
    const started = performance.now();
    const output = await served.sampler.sample(
      body.seeds,
      {
        num_neighbors: body.num_neighbors,
        seed: body.seed,
        replace: body.replace,
        disjoint: body.disjoint,
        weight_attr: body.weight_attr,
        seed_time: body.seed_time,
        temporal_strategy: body.temporal_strategy,
        return_edge_id: true,
      },
      body.batch ?? 0,
    );
    const sampledMs = performance.now() - started;
    const { stats } = output;
    c.header('Fanout-Invocations', String(stats.invocations));
    c.header('Fanout-Hop-Requests', String(stats.requests));
    c.header('Fanout-Partitions', String(stats.partitions));
    c.header('Fanout-Bytes', String(stats.bytesSent + stats.bytesReceived));
    if (served.version) c.header('Fanout-Graph-Version', served.version);
    const encode = (): [Uint8Array, string] => {
      if (wantsArrow(c)) return [sampleToArrowStream(output), ARROW_STREAM];
      const statsJson = JSON.stringify({
        invocations: stats.invocations,
        hop_requests: stats.requests,
        partitions: stats.partitions,
        bytes_sent: stats.bytesSent,
        bytes_received: stats.bytesReceived,
      });
      return [sampleToJson(output, {}, { stats: statsJson }), 'application/json'];
    };
    const encodedAt = performance.now();
    const [encoded, type] = encode();
    // Where the time went, for browsers' and clients' timing tools (W3C Server Timing).
    c.header(
      'Server-Timing',
      `sample;dur=${sampledMs.toFixed(1)}, encode;dur=${(performance.now() - encodedAt).toFixed(1)}`,
    );
    return bytes(c, encoded, type);
  });
}

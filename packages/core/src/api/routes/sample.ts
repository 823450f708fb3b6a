import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { FanoutError } from '../../errors/index.ts';
import {
  fanoutsPerEdgeType,
  HeteroNeighborSampler,
  type HeteroSamplerOutput,
  heteroSampleToArrowStream,
  heteroSampleToJson,
  type SamplerOutput,
  sampleToArrowStream,
  sampleToJson,
} from '../../sampling/index.ts';
import { ARROW_STREAM, bytes, costHeaders, problems, wantsArrow } from '../content.ts';
import type { GraphCatalog } from '../graph-catalog.ts';
import { type ApiLimits, checkSampleLimits } from '../limits.ts';
import { GraphParams, HeteroSampleResponse, SampleRequest, SampleResponse } from '../schemas.ts';

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
        'application/json': { schema: z.union([SampleResponse, HeteroSampleResponse]) },
        [ARROW_STREAM]: { schema: { type: 'string', format: 'binary' } },
      },
      description:
        'A sample in PyG SamplerOutput order (HeteroSamplerOutput, fields keyed by type, on a heterogeneous graph). With Accept: application/vnd.apache.arrow.stream, one record batch of one row of list columns with the same fields. Headers Fanout-Invocations, Fanout-Partitions, Fanout-Bytes report its cost.',
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
    const served = await catalog.get(c.req.valid('param').graph);
    const { sampler } = served;
    const options = {
      num_neighbors: body.num_neighbors,
      seed: body.seed,
      replace: body.replace,
      disjoint: body.disjoint,
      weight_attr: body.weight_attr,
      seed_time: body.seed_time,
      temporal_strategy: body.temporal_strategy,
      time_attr: body.time_attr,
      return_edge_id: true,
    };
    const started = performance.now();
    let output: SamplerOutput | HeteroSamplerOutput;
    if (sampler instanceof HeteroNeighborSampler) {
      checkSampleLimits(body.seeds.length, fanoutsPerEdgeType(body.num_neighbors, sampler.etypes), limits);
      if (body.input_type === undefined) {
        throw new FanoutError(
          'INVALID_ARGUMENT',
          `input_type: ${served.name} is heterogeneous; name the seeds' node type (${sampler.ntypes.join(', ')})`,
        );
      }
      output = await sampler.sample(body.input_type, body.seeds, options, body.batch ?? 0);
    } else {
      const fanouts = body.num_neighbors;
      if (!Array.isArray(fanouts)) {
        throw new FanoutError('INVALID_ARGUMENT', `num_neighbors: ${served.name} has one edge type; give a list`);
      }
      if (body.input_type !== undefined && body.input_type !== sampler.translator.ntype) {
        throw new FanoutError(
          'INVALID_ARGUMENT',
          `input_type: ${served.name} has one node type, ${sampler.translator.ntype}`,
        );
      }
      checkSampleLimits(body.seeds.length, [fanouts], limits);
      output = await sampler.sample(body.seeds, { ...options, num_neighbors: fanouts }, body.batch ?? 0);
    }
    const sampledMs = performance.now() - started;
    const { stats } = output;
    costHeaders(c, stats, served.version);
    const encode = (): [Uint8Array, string] => {
      const hetero = !(output.node instanceof Int32Array);
      if (wantsArrow(c)) {
        const bytes = hetero
          ? heteroSampleToArrowStream(output as HeteroSamplerOutput)
          : sampleToArrowStream(output as SamplerOutput);
        return [bytes, ARROW_STREAM];
      }
      const trailing = {
        stats: JSON.stringify({
          invocations: stats.invocations,
          hop_requests: stats.requests,
          partitions: stats.partitions,
          bytes_sent: stats.bytesSent,
          bytes_received: stats.bytesReceived,
        }),
      };
      const bytes = hetero
        ? heteroSampleToJson(output as HeteroSamplerOutput, trailing)
        : sampleToJson(output as SamplerOutput, {}, trailing);
      return [bytes, 'application/json'];
    };
    const encodedAt = performance.now();
    const [encoded, type] = encode();
    // Encoded (copied) by now: the sample's storage serves the next request.
    if (!(sampler instanceof HeteroNeighborSampler)) sampler.recycle(output as SamplerOutput);
    // Where the time went, for browsers' and clients' timing tools (W3C Server Timing).
    c.header(
      'Server-Timing',
      `sample;dur=${sampledMs.toFixed(1)}, encode;dur=${(performance.now() - encodedAt).toFixed(1)}`,
    );
    return bytes(c, encoded, type);
  });
}

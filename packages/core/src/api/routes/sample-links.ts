import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { FanoutError } from '../../errors/index.ts';
import {
  DistNeighborSampler,
  LinkNeighborSampler,
  type LinkSamplerOutput,
  sampleToArrowStream,
  sampleToJson,
} from '../../sampling/index.ts';
import { ARROW_STREAM, bytes, costHeaders, problems, wantsArrow } from '../content.ts';
import type { GraphCatalog } from '../graph-catalog.ts';
import { type ApiLimits, checkSampleLimits } from '../limits.ts';
import { GraphParams, SampleLinksRequest } from '../schemas.ts';

const sampleLinks = createRoute({
  method: 'post',
  path: '/v1/graphs/{graph}/sample-links',
  request: {
    params: GraphParams,
    body: { content: { 'application/json': { schema: SampleLinksRequest } }, required: true },
  },
  responses: {
    200: {
      content: {
        'application/json': { schema: { type: 'object' } },
        [ARROW_STREAM]: { schema: { type: 'string', format: 'binary' } },
      },
      description:
        "PyG's LinkNeighborLoader output: the sample's fields, then `edge_label_index` ([sources, destinations] as indices into `node`) and `edge_label`, or for triplet negatives `src_index`, `dst_pos_index`, `dst_neg_index`; `negatives_missing` counts negatives strict mode could not find.",
    },
    400: problems,
    401: problems,
    404: problems,
    413: problems,
  },
});

/** `POST /v1/graphs/{graph}/sample-links`: link-level sampling with negatives, by original IDs. */
export function registerSampleLinksRoute(app: OpenAPIHono, catalog: GraphCatalog, limits: ApiLimits): void {
  app.openapi(sampleLinks, async (c) => {
    const body = c.req.valid('json');
    const amount = body.neg_sampling ? (body.neg_sampling.amount ?? 1) : 0;
    checkSampleLimits(Math.ceil(2 * body.src.length * (1 + amount)), [body.num_neighbors], limits);
    const served = await catalog.get(c.req.valid('param').graph);
    if (!(served.sampler instanceof DistNeighborSampler)) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `${served.name} is heterogeneous; link sampling serves graphs of one node and one edge type`,
      );
    }
    const out = await new LinkNeighborSampler(served.sampler).sample(
      body.src,
      body.dst,
      {
        num_neighbors: body.num_neighbors,
        seed: body.seed,
        replace: body.replace,
        weight_attr: body.weight_attr,
        return_edge_id: true,
        edge_label: body.edge_label,
        edge_label_time: body.edge_label_time,
        disjoint: body.disjoint,
        exclude_seed_edges: body.exclude_seed_edges,
        neg_sampling: body.neg_sampling,
      },
      body.batch ?? 0,
    );
    costHeaders(c, out.stats, served.version);
    const columns = linkColumns(out);
    if (wantsArrow(c)) return bytes(c, sampleToArrowStream(out, columns), ARROW_STREAM);
    const trailing: Record<string, string> = { negatives_missing: String(out.negativesMissing) };
    for (const [name, values] of columns) {
      trailing[name] =
        name === 'edge_label_index'
          ? JSON.stringify([[...values.subarray(0, values.length / 2)], [...values.subarray(values.length / 2)]])
          : JSON.stringify([...values]);
    }
    return bytes(c, sampleToJson(out, {}, trailing), 'application/json');
  });
}

/** The link metadata as named columns (edge_label_index flattened: sources, then destinations). */
function linkColumns(out: LinkSamplerOutput): [string, Int32Array | Float32Array][] {
  if (out.srcIndex) {
    return [
      ['src_index', out.srcIndex],
      ['dst_pos_index', out.dstPosIndex!],
      ['dst_neg_index', out.dstNegIndex!],
    ];
  }
  return [
    ['edge_label_index', out.edgeLabelIndex!],
    ['edge_label', out.edgeLabel!],
  ];
}

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { type Data, Field, Int32, Table, tableToIPC } from 'apache-arrow';
import { FanoutError } from '../../errors/index.ts';
import { int32Data, recordBatch, vectorData, vectorOf } from '../../format/columns.ts';
import type { Manifest } from '../../format/index.ts';
import { JsonWriter } from '../../sampling/json-writer.ts';
import { ARROW_STREAM, bytes, problems, wantsArrow } from '../content.ts';
import type { GraphCatalog } from '../graph-catalog.ts';
import { type ApiLimits, checkFeatureLimits } from '../limits.ts';
import { FeaturesRequest, FeaturesResponse, GraphParams } from '../schemas.ts';

const features = createRoute({
  method: 'post',
  path: '/v1/graphs/{graph}/features',
  request: {
    params: GraphParams,
    body: { content: { 'application/json': { schema: FeaturesRequest } }, required: true },
  },
  responses: {
    200: {
      content: {
        'application/json': { schema: FeaturesResponse },
        [ARROW_STREAM]: { schema: { type: 'string', format: 'binary' } },
      },
      description:
        'Rows in the order of `ids`. With Accept: application/vnd.apache.arrow.stream, one record batch: `id` (Int32), each vector feature as FixedSizeList<Float32>, `label` as Int32.',
    },
    400: problems,
    401: problems,
    404: problems,
    413: problems,
  },
});

/** One requested column's rows: float32 vectors (`dim` per row) or Int32 scalars (labels). */
type Column = { name: string; dim: number; data: Float32Array } | { name: string; labels: Int32Array };

/** `POST /v1/graphs/{graph}/features`: node features and labels by original ID, from the graph's feature store. */
export function registerFeatureRoute(app: OpenAPIHono, catalog: GraphCatalog, limits: ApiLimits): void {
  app.openapi(features, async (c) => {
    const body = c.req.valid('json');
    const served = await catalog.get(c.req.valid('param').graph);
    const m = served.graph.manifest;
    const ntype = body.ntype ?? onlyNodeType(m);
    const wanted = columnsOf(m, ntype, body.features);
    checkFeatureLimits(
      body.ids.length,
      wanted.reduce((w, s) => w + s.width, 0),
      limits,
    );
    const store = served.features;
    const internal = await store.toInternal(ntype, body.ids);
    const columns: Column[] = await Promise.all(
      wanted.map(async ({ name }) =>
        name === 'label'
          ? { name, labels: await store.labels(ntype, internal) }
          : { name, ...(await store.lookup(ntype, name, internal)) },
      ),
    );
    if (served.version) c.header('Fanout-Graph-Version', served.version);
    const ids = Int32Array.from(body.ids);
    if (wantsArrow(c)) return bytes(c, featuresToArrow(ids, columns), ARROW_STREAM);
    const w = new JsonWriter()
      .raw(`{"ntype":${JSON.stringify(ntype)},"ids":`)
      .ints(ids)
      .raw(',"features":{');
    columns.forEach((column, i) => {
      w.raw(`${i > 0 ? ',' : ''}${JSON.stringify(column.name)}:`);
      if ('labels' in column) w.ints(column.labels);
      else w.rows(column.data, column.dim);
    });
    return bytes(c, w.raw('}}').finish(), 'application/json');
  });
}

function onlyNodeType(m: Manifest): string {
  const ntypes = Object.keys(m.ntypes);
  if (ntypes.length !== 1) throw new FanoutError('INVALID_ARGUMENT', `name the node type (${ntypes.join(', ')})`);
  return ntypes[0];
}

/** The columns asked for (default: every float32 feature and the label), each with its width in values. */
function columnsOf(m: Manifest, ntype: string, names?: string[]): { name: string; width: number }[] {
  const specs = m.node_features[ntype];
  if (!specs) throw new FanoutError('INVALID_ARGUMENT', `the graph has no node type "${ntype}"`);
  const served = specs.filter((s) => s.dtype === 'float32' || (s.name === 'label' && s.dtype === 'int32'));
  const chosen = names ?? served.map((s) => s.name);
  return chosen.map((name) => {
    const spec = served.find((s) => s.name === name);
    if (!spec) {
      throw new FanoutError(
        'INVALID_ARGUMENT',
        `node type ${ntype} serves no feature "${name}" (it serves ${served.map((s) => s.name).join(', ') || 'none'})`,
      );
    }
    return { name, width: spec.shape.reduce((a, b) => a * b, 1) };
  });
}

function featuresToArrow(ids: Int32Array, columns: Column[]): Uint8Array {
  const fields: Field[] = [new Field('id', new Int32(), false)];
  const data: Data[] = [int32Data(ids)];
  for (const column of columns) {
    if ('labels' in column) {
      fields.push(new Field(column.name, new Int32(), false));
      data.push(int32Data(column.labels));
    } else {
      fields.push(new Field(column.name, vectorOf(column.dim), false));
      data.push(vectorData(column.data, column.dim));
    }
  }
  return tableToIPC(new Table(recordBatch(fields, data, ids.length)), 'stream');
}

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { problems } from '../content.ts';
import type { GraphCatalog } from '../graph-catalog.ts';
import { GraphList, GraphParams, GraphSummary } from '../schemas.ts';

const listGraphs = createRoute({
  method: 'get',
  path: '/v1/graphs',
  responses: {
    200: { content: { 'application/json': { schema: GraphList } }, description: 'Graphs served' },
    401: problems,
  },
});

const getGraph = createRoute({
  method: 'get',
  path: '/v1/graphs/{graph}',
  request: { params: GraphParams },
  responses: {
    200: { content: { 'application/json': { schema: GraphSummary } }, description: 'The current version' },
    400: problems,
    401: problems,
    404: problems,
  },
});

/** `GET /v1/graphs` and `GET /v1/graphs/{graph}`. */
export function registerGraphRoutes(app: OpenAPIHono, catalog: GraphCatalog): void {
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
}

import { z } from '@hono/zod-openapi';

/** The request and response shapes of the HTTP API; the OpenAPI document is generated from them. */

export const GraphParams = z.object({
  graph: z.string().openapi({ param: { name: 'graph', in: 'path' }, example: 'cora' }),
});

const id = z.number().int().min(0).max(0x7fffffff);
const uint32 = z.number().int().min(0).max(0xffffffff);
const fanouts = z.array(z.number().int().min(-1)).min(1).max(16);
const perType = (description: string) => z.record(z.string(), z.array(z.number().int())).openapi({ description });

export const SampleRequest = z
  .object({
    seeds: z.array(id).min(1).openapi({ description: 'Seed nodes, original IDs; distinct unless disjoint' }),
    num_neighbors: z.union([fanouts, z.record(z.string(), fanouts)]).openapi({
      description:
        'Fanout per hop (PyG num_neighbors); on a heterogeneous graph, also a list per canonical edge type ({"author:writes:paper": [10, 5], …}, 0 skipping a type at a hop)',
      example: [15, 10, 5],
    }),
    input_type: z
      .string()
      .optional()
      .openapi({ description: "The seeds' node type (PyG input_nodes' type); required on a heterogeneous graph" }),
    seed: uint32.optional().openapi({ description: "The run's seed (default 0)" }),
    batch: uint32.optional().openapi({ description: 'The batch key of the determinism contract (default 0)' }),
    replace: z.boolean().optional(),
    disjoint: z.boolean().optional(),
    weight_attr: z
      .literal('weight')
      .optional()
      .openapi({ description: 'Sample by edge weight (PyG weight_attr); the graph must have edge weights' }),
    seed_time: z
      .union([z.number().int(), z.array(z.number().int())])
      .optional()
      .openapi({ description: 'Temporal sampling: per-seed times (or one for all); makes the sample disjoint' }),
    temporal_strategy: z.enum(['uniform', 'last']).optional(),
    time_attr: z
      .enum(['time', 'nbr_time'])
      .optional()
      .openapi({ description: "Temporal: the edge's time or the neighbor's node time (PyG time_attr)" }),
  })
  .strict()
  .openapi('SampleRequest');

export const SampleStats = z
  .object({
    invocations: z.number().int(),
    hop_requests: z.number().int(),
    partitions: z.number().int(),
    bytes_sent: z.number().int(),
    bytes_received: z.number().int(),
  })
  .openapi('SampleStats');

export const SampleResponse = z
  .object({
    node: z.array(z.number().int()).openapi({ description: 'Original node IDs: seeds first, then hop by hop' }),
    row: z.array(z.number().int()).openapi({ description: 'Index in node of each edge source (neighbor)' }),
    col: z.array(z.number().int()).openapi({ description: 'Index in node of each edge destination' }),
    edge: z.array(z.number().int()).openapi({ description: 'Original edge IDs' }),
    batch: z.array(z.number().int()).optional().openapi({ description: 'Seed index of each node (disjoint only)' }),
    num_sampled_nodes: z.array(z.number().int()),
    num_sampled_edges: z.array(z.number().int()),
    stats: SampleStats,
  })
  .openapi('SampleResponse');

export const HeteroSampleResponse = z
  .object({
    node: perType('Per node type: original node IDs, seeds first, then hop by hop'),
    row: perType("Per edge type: index of each edge source in its node type's list"),
    col: perType("Per edge type: index of each edge destination in its node type's list"),
    edge: perType('Per edge type: original edge IDs'),
    batch: perType('Per node type: seed index of each node (disjoint only)').optional(),
    num_sampled_nodes: perType('Per node type: nodes found per hop'),
    num_sampled_edges: perType('Per edge type: edges sampled per hop'),
    stats: SampleStats,
  })
  .openapi('HeteroSampleResponse');

export const GraphList = z.object({ graphs: z.array(z.object({ name: z.string() })) }).openapi('GraphList');

export const GraphSummary = z
  .object({
    name: z.string(),
    version: z.string().optional(),
    num_parts: z.number().int(),
    num_nodes: z.number().int(),
    num_edges: z.number().int(),
    undirected: z.boolean(),
    part_method: z.string(),
    ntypes: z.record(z.string(), z.number().int()),
    etypes: z.record(z.string(), z.number().int()),
    node_features: z.record(
      z.string(),
      z.array(z.object({ name: z.string(), dtype: z.string(), shape: z.array(z.number()) })),
    ),
    edge_cut_ratio: z.number(),
  })
  .openapi('GraphSummary');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().openapi({ example: 'UNKNOWN_NODE' }),
  })
  .openapi('Problem');

export const FeaturesRequest = z
  .object({
    ids: z.array(id).min(1).openapi({ description: 'Nodes, original IDs' }),
    ntype: z.string().optional().openapi({ description: "Node type (default: the graph's only one)" }),
    features: z
      .array(z.string())
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: 'Float32 features and/or "label" (default: all of them)', example: ['feat', 'label'] }),
  })
  .strict()
  .openapi('FeaturesRequest');

export const FeaturesResponse = z
  .object({
    ntype: z.string(),
    ids: z.array(z.number().int()),
    features: z.record(z.string(), z.array(z.union([z.number(), z.array(z.number())]))).openapi({
      description: 'Per feature, one row per ID: a list of numbers for vectors, a number for scalars (label)',
    }),
  })
  .openapi('FeaturesResponse');

export const SampleLinksRequest = z
  .object({
    src: z.array(id).min(1).openapi({ description: 'Source of each positive link, original IDs' }),
    dst: z.array(id).min(1).openapi({ description: 'Destination of each positive link' }),
    edge_label: z.array(z.number()).optional().openapi({ description: 'Labels of the positives' }),
    edge_label_time: z
      .array(z.number().int())
      .optional()
      .openapi({ description: 'Temporal: a time per positive (PyG edge_label_time); makes the sample disjoint' }),
    disjoint: z
      .boolean()
      .optional()
      .openapi({ description: 'One tree per link endpoint (batch: the positive it serves)' }),
    exclude_seed_edges: z
      .boolean()
      .optional()
      .openapi({ description: 'Keep the positive links (and their reverse arcs) out of the sampled neighborhoods' }),
    neg_sampling: z
      .object({
        mode: z.enum(['binary', 'triplet']),
        amount: z.number().positive().max(1000).optional(),
        strict: z.boolean().optional(),
      })
      .strict()
      .optional(),
    num_neighbors: fanouts,
    seed: uint32.optional(),
    batch: uint32.optional(),
    replace: z.boolean().optional(),
    weight_attr: z.literal('weight').optional(),
  })
  .strict()
  .openapi('SampleLinksRequest');

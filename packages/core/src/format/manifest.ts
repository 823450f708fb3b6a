import { z } from 'zod';
import { FanoutError } from '../errors/index.ts';

/** The partition format's identity. Readers refuse any other format or version. */
export const FORMAT_NAME = 'fanout-partitions';
export const FORMAT_VERSION = 1;
export const DEFAULT_ROWS_PER_BATCH = 65_536;
/** The node and edge type of a homogeneous graph, as DGL names them. */
export { HOMOGENEOUS_ETYPE as DEFAULT_ETYPE, HOMOGENEOUS_NTYPE as DEFAULT_NTYPE } from '../graph/index.ts';

const typeName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'type names use letters, digits, _ . -');
const canonicalEtype = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
    'edge types are src:relation:dst',
  );
const count = z.number().int().nonnegative();
const range = z.tuple([count, count]).refine(([a, b]) => a <= b, 'a range is [start, end) with start ≤ end');
const uint32 = z.number().int().min(0).max(0xffffffff);

export const fileEntrySchema = z.object({
  key: z.string().min(1),
  bytes: count,
  batches: z.array(z.object({ offset: count, length: count, rows: count, crc32c: uint32 })),
  rest_crc32c: uint32,
});

export const featureSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  dtype: z.enum(['float32', 'float16', 'int32', 'bool']),
  /** Per-row shape: [dim] for vectors, [] for scalars (labels, masks). */
  shape: z.array(count),
});

export const manifestSchema = z.object({
  format: z.literal(FORMAT_NAME),
  version: z.number().int(),
  graph_name: z.string().min(1),
  num_parts: z.number().int().positive(),
  part_method: z.string(),
  /** 1: each partition stores the in-edges of the nodes it owns, naming in-neighbors it may not own (DGL's 1-hop halo, structure only). */
  halo_hops: count,
  num_nodes: count,
  /** Stored arcs over all edge types (after symmetrization when the input was undirected). */
  num_edges: count,
  /** Name → type ID, as DGL's partition config has them. */
  ntypes: z.record(typeName, count),
  etypes: z.record(canonicalEtype, count),
  /** Per type, per partition, the [start, end) of the internal node IDs the partition owns. */
  node_map: z.record(typeName, z.array(range)),
  /** Per edge type, per partition, the [start, end) of the partition's arcs in the global CSC order. */
  edge_map: z.record(canonicalEtype, z.array(range)),
  rows_per_batch: z.number().int().positive(),
  /** Input edge count per edge type: reverse arcs of input edge i have ID M + i. */
  num_input_edges: z.record(canonicalEtype, count),
  undirected: z.boolean(),
  node_features: z.record(typeName, z.array(featureSchema)),
  edge_features: z.record(canonicalEtype, z.array(featureSchema)),
  /** Which optional CSC columns each edge type's graph files carry. */
  edge_columns: z.record(canonicalEtype, z.array(z.enum(['weight', 'time', 'nbr_time']))),
  ids: z.record(typeName, fileEntrySchema),
  parts: z.array(
    z.object({
      num_nodes: z.record(typeName, count),
      num_edges: z.record(canonicalEtype, count),
      graph: z.record(canonicalEtype, fileEntrySchema),
      node_feats: z.record(typeName, fileEntrySchema),
      edge_feats: z.record(canonicalEtype, fileEntrySchema),
    }),
  ),
  stats: z.object({
    edge_cut: count,
    edge_cut_ratio: z.number().min(0).max(1),
    part_nodes: z.array(count),
    part_edges: z.array(count),
  }),
  created_by: z.string().optional(),
  /**
   * Set by partition jobs: the version directory (beside the graph's current manifest) that this manifest's files
   * live in. Readers that must not see the graph change under them open `<graph_version>/manifest.json` instead.
   */
  graph_version: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});

export type FileEntry = z.infer<typeof fileEntrySchema>;
export type FeatureSpec = z.infer<typeof featureSchema>;
export type Manifest = z.infer<typeof manifestSchema>;

/** Parses and checks a manifest: format, version, then the schema and the cross-field invariants. */
export function parseManifest(text: string, source: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FanoutError('INVALID_MANIFEST', `${source}: not JSON: ${(error as Error).message}`, { cause: error });
  }
  const head = z.object({ format: z.string(), version: z.unknown() }).safeParse(json);
  if (!head.success || head.data.format !== FORMAT_NAME) {
    throw new FanoutError(
      'INVALID_MANIFEST',
      `${source}: not a Fanout partition manifest (format must be "${FORMAT_NAME}")`,
    );
  }
  if (head.data.version !== FORMAT_VERSION) {
    throw new FanoutError(
      'UNSUPPORTED_VERSION',
      `${source}: partition format version ${JSON.stringify(head.data.version)} is not supported; this Fanout reads version ${FORMAT_VERSION}. Re-partition the graph or upgrade Fanout.`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FanoutError('INVALID_MANIFEST', `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  checkInvariants(parsed.data, source);
  return parsed.data;
}

function checkInvariants(m: Manifest, source: string): void {
  const fail = (what: string) => {
    throw new FanoutError('INVALID_MANIFEST', `${source}: ${what}`);
  };
  if (m.parts.length !== m.num_parts) fail(`num_parts is ${m.num_parts} but ${m.parts.length} parts are listed`);
  for (const [ntype, ranges] of Object.entries(m.node_map)) {
    if (ranges.length !== m.num_parts) fail(`node_map.${ntype} has ${ranges.length} ranges for ${m.num_parts} parts`);
    ranges.forEach(([start], p) => {
      if (start !== (p === 0 ? 0 : ranges[p - 1][1])) fail(`node_map.${ntype} ranges are not contiguous at part ${p}`);
    });
  }
  for (const [etype, ranges] of Object.entries(m.edge_map)) {
    if (ranges.length !== m.num_parts) fail(`edge_map.${etype} has ${ranges.length} ranges for ${m.num_parts} parts`);
    const [src, , dst] = etype.split(':');
    if (!(src in m.ntypes) || !(dst in m.ntypes)) fail(`edge type ${etype} names an unknown node type`);
  }
}

/** One edge type between nodes of one type: what PyG calls Data rather than HeteroData. */
export function isHomogeneous(m: Manifest): boolean {
  const etypes = Object.keys(m.etypes);
  if (etypes.length !== 1) return false;
  const [src, , dst] = etypes[0].split(':');
  return src === dst;
}

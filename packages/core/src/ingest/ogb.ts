import { FanoutError } from '../errors/index.ts';
import { type EdgeList, type GraphData, homogeneousGraph, type MaskName, type NodeTypeData } from '../graph/index.ts';
import type { ProgressListener } from '../progress/index.ts';
import { listAll, type ObjectStore } from '../storage/index.ts';
import { type InputFile, readChunks } from './byte-source.ts';
import { maxPlusOne } from './snap.ts';
import { parseFloatRows, parseIntTable } from './text-tables.ts';

const SPLIT_FILES: [string, MaskName][] = [
  ['train', 'train_mask'],
  ['valid', 'val_mask'],
  ['test', 'test_mask'],
];

export interface OgbOptions {
  /** The split scheme under `split/` (default: the only one there). */
  split?: string;
}

/**
 * OGB's node-property raw layout, as ogbn-arxiv ships it: `raw/edge.csv.gz` (src,dst per line),
 * `raw/num-node-list.csv.gz`, optional `raw/node-feat.csv.gz`, `raw/node-label.csv.gz` (`nan` = unlabelled, read
 * as -1), `raw/edge-feat.csv.gz`, and `split/<scheme>/{train,valid,test}.csv.gz` (node IDs). `store` is rooted at
 * the dataset directory (the one holding `raw/`), or at `raw/` itself.
 */
export async function readOgb(
  store: ObjectStore,
  name: string,
  options: OgbOptions = {},
  onProgress?: ProgressListener,
): Promise<GraphData> {
  const rawPrefix = (await store.head('raw/edge.csv.gz')) ? 'raw/' : '';
  const file = (key: string): InputFile => ({ store, key, name: `${store.uri}/${key}` });
  const optional = async (key: string) => ((await store.head(key)) ? file(key) : undefined);
  if (!(await store.head(`${rawPrefix}edge.csv.gz`))) {
    throw new FanoutError('NOT_FOUND', `${store.uri}: no raw/edge.csv.gz: not a dataset in OGB's raw layout`);
  }
  const progress = (stage: string) => (done: number, total: number) => onProgress?.({ stage, done, total });

  const [src, dst] = await parseIntTable(readChunks(file(`${rawPrefix}edge.csv.gz`), progress('read edges')), {
    columns: 2,
    file: `${store.uri}/${rawPrefix}edge.csv.gz`,
  });
  const countFile = await optional(`${rawPrefix}num-node-list.csv.gz`);
  const numNodes = countFile
    ? (await parseIntTable(readChunks(countFile), { columns: 1, file: countFile.name }))[0][0]
    : maxPlusOne(src, dst);
  const maxId = maxPlusOne(src, dst) - 1;
  if (maxId >= numNodes) {
    throw new FanoutError(
      'INVALID_INPUT',
      `${store.uri}: edge endpoint ${maxId} is out of range: num-node-list says ${numNodes} nodes`,
    );
  }

  const node: Omit<NodeTypeData, 'name'> = { numNodes, features: new Map(), masks: {} };
  const featFile = await optional(`${rawPrefix}node-feat.csv.gz`);
  if (featFile) {
    const rows = await parseFloatRows(readChunks(featFile, progress('read features')), featFile.name);
    if (rows.rows !== numNodes)
      throw new FanoutError('INVALID_INPUT', `${featFile.name}: ${rows.rows} feature rows for ${numNodes} nodes`);
    node.features.set('feat', { dim: rows.dim, data: rows.data });
  }
  const labelFile = await optional(`${rawPrefix}node-label.csv.gz`);
  if (labelFile) {
    const [label] = await parseIntTable(readChunks(labelFile), { columns: 1, file: labelFile.name, nanAs: -1 });
    if (label.length !== numNodes)
      throw new FanoutError('INVALID_INPUT', `${labelFile.name}: ${label.length} labels for ${numNodes} nodes`);
    node.label = label;
  }
  const scheme = await chooseSplit(store, options.split);
  if (scheme) {
    for (const [part, mask] of SPLIT_FILES) {
      const splitFile = await optional(`split/${scheme}/${part}.csv.gz`);
      if (!splitFile) continue;
      const [ids] = await parseIntTable(readChunks(splitFile), { columns: 1, file: splitFile.name });
      const bits = new Uint8Array(numNodes);
      for (const id of ids) {
        if (id >= numNodes)
          throw new FanoutError('INVALID_INPUT', `${splitFile.name}: node ${id} is out of range (${numNodes} nodes)`);
        bits[id] = 1;
      }
      node.masks[mask] = bits;
    }
  }

  const edges: EdgeList = { src, dst, features: new Map() };
  const edgeFeatFile = await optional(`${rawPrefix}edge-feat.csv.gz`);
  if (edgeFeatFile) {
    const rows = await parseFloatRows(readChunks(edgeFeatFile), edgeFeatFile.name);
    if (rows.rows !== src.length)
      throw new FanoutError('INVALID_INPUT', `${edgeFeatFile.name}: ${rows.rows} feature rows for ${src.length} edges`);
    edges.features.set('feat', { dim: rows.dim, data: rows.data });
  }
  return homogeneousGraph(name, node, edges);
}

async function chooseSplit(store: ObjectStore, wanted?: string): Promise<string | undefined> {
  const schemes = new Set<string>();
  for await (const o of listAll(store, 'split/')) schemes.add(o.key.split('/')[1]);
  if (wanted !== undefined) {
    if (!schemes.has(wanted))
      throw new FanoutError(
        'NOT_FOUND',
        `${store.uri}: no split scheme "${wanted}" (found: ${[...schemes].join(', ') || 'none'})`,
      );
    return wanted;
  }
  if (schemes.size > 1)
    throw new FanoutError(
      'INVALID_ARGUMENT',
      `${store.uri}: several split schemes (${[...schemes].join(', ')}); choose one with --split`,
    );
  return schemes.values().next().value;
}

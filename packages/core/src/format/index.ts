export { ArrowFileReader, decodeVerifiedFile, encodeArrowFile, writeArrowFile } from './arrow-file.ts';
export { edgeFeatsKey, graphKey, idsKey, MANIFEST_KEY, nodeFeatsKey } from './layout.ts';
export {
  DEFAULT_ETYPE,
  DEFAULT_NTYPE,
  DEFAULT_ROWS_PER_BATCH,
  type FeatureSpec,
  type FileEntry,
  FORMAT_NAME,
  FORMAT_VERSION,
  isHomogeneous,
  type Manifest,
  manifestSchema,
  parseManifest,
} from './manifest.ts';
export {
  batchRanges,
  type IdMaps,
  type NodeColumns,
  nodeFeatureSpecs,
  type PartCsc,
  writeEdgeFeatsFile,
  writeGraphFile,
  writeIdsFile,
  writeNodeFeatsFile,
} from './part-files.ts';
export { PartitionedGraph } from './partitioned-graph.ts';

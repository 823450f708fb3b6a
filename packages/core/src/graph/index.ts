export {
  type DenseFeature,
  type EdgeList,
  type EdgeTypeData,
  edgeIdOf,
  type GraphData,
  HOMOGENEOUS_ETYPE,
  HOMOGENEOUS_NTYPE,
  homogeneousGraph,
  MASK_NAMES,
  type MaskName,
  type NodeTypeData,
} from './graph-data.ts';

export {
  type DenseFeature,
  type EdgeList,
  type EdgeTypeData,
  edgeIdOf,
  type GraphData,
  MASK_NAMES,
  type MaskName,
  type NodeTypeData,
  numArcs,
} from './graph-data.ts';

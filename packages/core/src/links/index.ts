export { type EdgeSplit, type LinkPairs, splitEdges } from './edge-split.ts';

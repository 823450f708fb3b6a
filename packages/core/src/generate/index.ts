export { type GenerateOptions, generateGraph } from './chung-lu.ts';
export { type GenerateHeteroOptions, generateHeteroGraph } from './hetero.ts';

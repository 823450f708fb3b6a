export { type GenerateOptions, generateGraph } from './chung-lu.ts';

export {
  type Assigner,
  type Assignment,
  type AssignOptions,
  type BalanceBy,
  inDegrees,
  randomAssigner,
} from './assignment.ts';
export { ASSIGNERS, assignerFor, DEFAULT_METHOD } from './methods.ts';
export { multilevelAssigner } from './multilevel/multilevel.ts';
export { type PartitionOptions, partitionGraph } from './partition-graph.ts';
export { type Reshuffled, reshuffle } from './reshuffle.ts';

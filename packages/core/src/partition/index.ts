export {
  ASSIGNERS,
  type Assigner,
  type Assignment,
  type AssignOptions,
  assignerFor,
  type BalanceBy,
  inDegrees,
  randomAssigner,
} from './assignment.ts';
export { type PartitionOptions, partitionGraph } from './partition-graph.ts';
export { type Reshuffled, reshuffle } from './reshuffle.ts';

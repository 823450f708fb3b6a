import { existsSync } from 'node:fs';
import {
  createInvoker,
  DistNeighborSampler,
  FeatureStore,
  ingestGraph,
  LocalStore,
  PartitionedGraph,
  partitionGraph,
  splitEdges,
} from '@fanout/core';
import { DEFAULT_LINK_OPTIONS, selectBackend, trainLinkPrediction } from './src/index.ts';

const [batchSize, hidden, lr, dropout, epochs] = process.argv.slice(2).map(Number);
await selectBackend();
const cora = await ingestGraph({ input: '/work/main/data/cora' });
const split = splitEdges(cora, { val: 0.05, test: 0.1, seed: 0 });
const dir = '/work/main/.fanout/bench/cora-link-split-2parts';
if (!existsSync(`${dir}/manifest.json`)) await partitionGraph(split.train, new LocalStore(dir), { numParts: 2 });
const g = await PartitionedGraph.open(dir);
const result = await trainLinkPrediction(
  new DistNeighborSampler(g, createInvoker(g, 'inprocess')),
  new FeatureStore(g),
  { train: split.trainLinks, val: split.val, test: split.test },
  {
    ...DEFAULT_LINK_OPTIONS,
    batchSize,
    hidden,
    lr,
    dropout,
    epochs,
    onEpoch: (s) => console.log(JSON.stringify(s)),
  },
);
console.log('best', JSON.stringify(result.best));

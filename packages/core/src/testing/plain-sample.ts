import type { SamplerOutput } from '../sampling/sampler-output.ts';

/** A sample as plain arrays and numbers, for deepEqual against an expected sample or another transport's. */
export function plainSample(o: SamplerOutput) {
  return {
    node: [...o.node],
    row: [...o.row],
    col: [...o.col],
    edge: o.edge ? [...o.edge].map(Number) : undefined,
    batch: o.batch ? [...o.batch] : undefined,
    num_sampled_nodes: o.numSampledNodes,
    num_sampled_edges: o.numSampledEdges,
  };
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isFanoutError } from '../errors/index.ts';
import type { PartitionedGraph } from '../format/index.ts';
import { symmetrize } from '../ingest/symmetrize.ts';
import { Xoshiro128 } from '../random/index.ts';
import { graphFromArcs, partitioned } from '../testing/small-graphs.ts';
import { createInvoker, type Invoker } from '../transport/index.ts';
import { DistNeighborSampler } from './dist-neighbor-sampler.ts';
import { HopService } from './hop-service.ts';
import { LinkNeighborSampler, type LinkSamplerOutput } from './link-sampler.ts';

function randomGraph(nodes: number, edges: number, seed: number) {
  const random = new Xoshiro128(seed, 'link-test');
  const src: number[] = [];
  const dst: number[] = [];
  for (let e = 0; e < edges; e++) {
    src.push(random.nextBelow(nodes));
    dst.push(random.nextBelow(nodes));
  }
  return {
    graph: graphFromArcs(src, dst, nodes, `links-${seed}`),
    src,
    dst,
    edgeSet: new Set(src.map((s, e) => `${s}>${dst[e]}`)),
  };
}

function requestsOnly(graph: PartitionedGraph): Invoker {
  const service = new HopService();
  service.register(graph);
  return { name: 'requests-only', invoke: (r) => service.handle(r), close: async () => {} };
}

const links = (graph: PartitionedGraph, invoker: Invoker = createInvoker(graph, 'inprocess')) =>
  new LinkNeighborSampler(new DistNeighborSampler(graph, invoker));

/** The labelled pairs of a binary output, back in original IDs. */
function pairs(out: LinkSamplerOutput): [number, number][] {
  const n = out.edgeLabel!.length;
  return Array.from({ length: n }, (_, i) => [out.node[out.edgeLabelIndex![i]], out.node[out.edgeLabelIndex![n + i]]]);
}

describe('link sampling (LinkNeighborLoader semantics)', () => {
  test('binary negatives: ceil(amount × positives) pairs labelled 0, positives 1, seeds every endpoint ascending', async () => {
    const { graph, src, dst } = randomGraph(50, 300, 1);
    const pg = await partitioned(graph, 2);
    const pos = { src: src.slice(0, 7), dst: dst.slice(0, 7) };
    const out = await links(pg).sample(pos.src, pos.dst, {
      num_neighbors: [3],
      neg_sampling: { mode: 'binary', amount: 1.5 },
    });
    assert.equal(out.edgeLabel!.length, 7 + Math.ceil(1.5 * 7));
    assert.deepEqual([...out.edgeLabel!], [...new Array(7).fill(1), ...new Array(11).fill(0)]);
    assert.deepEqual(
      pairs(out).slice(0, 7),
      pos.src.map((s, i) => [s, pos.dst[i]]),
    );
    const endpoints = [...new Set(pairs(out).flat())].sort((a, b) => a - b);
    assert.deepEqual([...out.node.subarray(0, out.numSampledNodes[0])], endpoints);
  });

  test('labels of positives shift by one under negative sampling, and stay without it', async () => {
    const { graph, src, dst } = randomGraph(30, 100, 2);
    const pg = await partitioned(graph, 1);
    const labelled = await links(pg).sample(src.slice(0, 3), dst.slice(0, 3), {
      num_neighbors: [2],
      edge_label: [0, 1, 1],
      neg_sampling: { mode: 'binary' },
    });
    assert.deepEqual([...labelled.edgeLabel!], [1, 2, 2, 0, 0, 0]);
    const plain = await links(pg).sample(src.slice(0, 3), dst.slice(0, 3), {
      num_neighbors: [2],
      edge_label: [0, 1, 1],
    });
    assert.deepEqual([...plain.edgeLabel!], [0, 1, 1]);
  });

  test('strict negatives are never edges; when none can be found, it says how many', async () => {
    const { graph, src, dst, edgeSet } = randomGraph(12, 90, 3);
    const pg = await partitioned(graph, 3);
    const out = await links(pg).sample(src.slice(0, 10), dst.slice(0, 10), {
      num_neighbors: [2],
      neg_sampling: { mode: 'binary', amount: 3, strict: true },
    });
    for (const [s, d] of pairs(out).slice(10)) assert.ok(!edgeSet.has(`${s}>${d}`), `${s}>${d} is an edge`);
    assert.equal(out.edgeLabel!.length, 10 + 30 - out.negativesMissing);
    // A complete graph (with self-loops) has no negatives at all.
    const all: [number[], number[]] = [[], []];
    for (let s = 0; s < 4; s++) {
      for (let d = 0; d < 4; d++) {
        all[0].push(s);
        all[1].push(d);
      }
    }
    const complete = await partitioned(graphFromArcs(all[0], all[1], 4), 2);
    const none = await links(complete).sample([0], [1], {
      num_neighbors: [1],
      neg_sampling: { mode: 'binary', amount: 2, strict: true },
    });
    assert.equal(none.negativesMissing, 2);
    assert.equal(none.edgeLabel!.length, 1);
  });

  test('triplet negatives: amount destinations per positive, sources kept', async () => {
    const { graph, src, dst } = randomGraph(40, 200, 4);
    const pg = await partitioned(graph, 2);
    const out = await links(pg).sample(src.slice(0, 5), dst.slice(0, 5), {
      num_neighbors: [2, 2],
      neg_sampling: { mode: 'triplet', amount: 3 },
    });
    assert.deepEqual(
      [...out.srcIndex!].map((i) => out.node[i]),
      src.slice(0, 5),
    );
    assert.deepEqual(
      [...out.dstPosIndex!].map((i) => out.node[i]),
      dst.slice(0, 5),
    );
    assert.equal(out.dstNegIndex!.length, 15);
    assert.equal(out.edgeLabelIndex, undefined);
  });

  test('the same sample for any partitioning and transport (the determinism contract)', async () => {
    const { graph, src, dst } = randomGraph(60, 400, 5);
    let reference: unknown;
    for (const parts of [1, 4]) {
      const pg = await partitioned(graph, parts);
      for (const invoker of [createInvoker(pg, 'inprocess'), requestsOnly(pg)]) {
        const out = await links(pg, invoker).sample(
          src.slice(0, 9),
          dst.slice(0, 9),
          { num_neighbors: [3, 2], seed: 11, neg_sampling: { mode: 'binary', amount: 2, strict: true } },
          6,
        );
        const view = { node: [...out.node], pairs: pairs(out), row: [...out.row], col: [...out.col] };
        if (reference) assert.deepEqual(view, reference, `${parts} parts, ${invoker.name}`);
        else reference = view;
      }
    }
  });

  test('seed edges (and their reverse arcs) are kept out of the sample when asked, identically everywhere', async () => {
    const { graph, src, dst } = randomGraph(40, 160, 7);
    graph.undirected = true;
    graph.etypes[0].edges = symmetrize(graph.etypes[0].edges, 40);
    const positives = { src: [] as number[], dst: [] as number[] };
    for (let e = 0; positives.src.length < 6; e++) {
      if (src[e] !== dst[e]) {
        positives.src.push(src[e]);
        positives.dst.push(dst[e]);
      }
    }
    const leaks = (out: LinkSamplerOutput) => {
      let count = 0;
      for (let e = 0; e < out.numSampledEdges[0]; e++) {
        const [from, to] = [out.node[out.row[e]], out.node[out.col[e]]];
        positives.src.forEach((s, i) => {
          if ((from === s && to === positives.dst[i]) || (from === positives.dst[i] && to === s)) count++;
        });
      }
      return count;
    };
    let reference: unknown;
    for (const parts of [1, 3]) {
      const pg = await partitioned(graph, parts);
      for (const invoker of [createInvoker(pg, 'inprocess'), requestsOnly(pg)]) {
        const l = links(pg, invoker);
        const options = { num_neighbors: [-1, 2], seed: 3 };
        assert.ok(
          leaks(await l.sample(positives.src, positives.dst, options)) > 0,
          'without exclusion they are sampled',
        );
        const out = await l.sample(positives.src, positives.dst, { ...options, exclude_seed_edges: true });
        assert.equal(leaks(out), 0, `${parts} parts, ${invoker.name}`);
        const view = { node: [...out.node], row: [...out.row], col: [...out.col] };
        if (reference) assert.deepEqual(view, reference);
        else reference = view;
      }
    }
  });

  test('temporal links (edge_label_time): disjoint trees per endpoint, none with an edge newer than its link', async () => {
    const random = new Xoshiro128(8, 'temporal-links');
    const src: number[] = [];
    const dst: number[] = [];
    const time: number[] = [];
    for (let e = 0; e < 600; e++) {
      src.push(random.nextBelow(80));
      dst.push(random.nextBelow(80));
      time.push(random.nextBelow(1000));
    }
    const graph = graphFromArcs(src, dst, 80, 'temporal-links', { time });
    const positives = { src: src.slice(0, 6), dst: dst.slice(0, 6), time: time.slice(0, 6) };
    for (const neg_sampling of [
      { mode: 'binary', amount: 1.5 },
      { mode: 'triplet', amount: 2 },
    ] as const) {
      let reference: unknown;
      for (const parts of [1, 3]) {
        const pg = await partitioned(graph, parts);
        for (const invoker of [createInvoker(pg, 'inprocess'), requestsOnly(pg)]) {
          const out = await links(pg, invoker).sample(positives.src, positives.dst, {
            num_neighbors: [4, 3],
            seed: 5,
            neg_sampling,
            edge_label_time: positives.time,
          });
          assert.ok(out.row.length > 0);
          // Every tree belongs to a positive, and no edge in it is newer than that positive's time.
          for (let e = 0; e < out.row.length; e++) {
            const positive = out.batch![out.col[e]];
            assert.equal(out.batch![out.row[e]], positive, 'an edge stays inside its tree');
            assert.ok(time[Number(out.edge![e])] <= positives.time[positive], `edge ${out.edge![e]} is too new`);
          }
          if (neg_sampling.mode === 'binary') {
            const n = out.edgeLabel!.length;
            assert.equal(n, 6 + 9);
            assert.deepEqual(
              [...out.edgeLabelIndex!],
              Array.from({ length: 2 * n }, (_, i) => i),
            );
            assert.deepEqual(
              pairs(out).slice(0, 6),
              positives.src.map((s, i) => [s, positives.dst[i]]),
            );
            assert.deepEqual(
              [...out.batch!.subarray(0, 2 * n)],
              Array.from({ length: 2 * n }, (_, i) => (i % n) % 6),
            );
          } else {
            assert.deepEqual([...out.srcIndex!], [0, 1, 2, 3, 4, 5]);
            assert.deepEqual([...out.dstPosIndex!], [6, 7, 8, 9, 10, 11]);
            assert.deepEqual(
              [...out.dstNegIndex!],
              Array.from({ length: 12 }, (_, i) => 12 + i),
            );
            assert.deepEqual(
              [...out.batch!.subarray(12, 24)],
              Array.from({ length: 12 }, (_, i) => Math.floor(i / 2)),
              'negatives grouped per positive',
            );
          }
          const view = { node: [...out.node], row: [...out.row], col: [...out.col], batch: [...out.batch!] };
          if (reference) assert.deepEqual(view, reference, `${parts} parts, ${invoker.name}`);
          else reference = view;
        }
      }
    }
    const pg = await partitioned(graph, 1);
    await assert.rejects(
      links(pg).sample([1], [2], { num_neighbors: [2], edge_label_time: [1, 2] }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /2 times for 1 links/.test(e.message),
    );
    await assert.rejects(
      links(pg).sample([1], [2], { num_neighbors: [2], seed_time: 5 }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT') && /edge_label_time/.test(e.message),
    );
  });

  test('bad input is refused with a code', async () => {
    const { graph } = randomGraph(10, 30, 6);
    const pg = await partitioned(graph, 1);
    const l = links(pg);
    await assert.rejects(l.sample([1, 2], [3], { num_neighbors: [2] }), (e) => isFanoutError(e, 'INVALID_ARGUMENT'));
    await assert.rejects(l.sample([1], [99], { num_neighbors: [2] }), (e) => isFanoutError(e, 'UNKNOWN_NODE'));
    await assert.rejects(
      l.sample([1], [2], { num_neighbors: [2], neg_sampling: { mode: 'triplet', amount: 1.5 } }),
      (e) => isFanoutError(e, 'INVALID_ARGUMENT'),
    );
  });
});

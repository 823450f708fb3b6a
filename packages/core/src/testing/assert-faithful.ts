import assert from 'node:assert/strict';
import type { PartitionedGraph } from '../format/index.ts';
import { edgeIdOf, type GraphData, MASK_NAMES } from '../graph/index.ts';

/**
 * Checks a partitioned graph against the in-memory graph it was made from: every node exactly once with identical
 * data; node_map contiguous and covering; both ID maps inverse permutations; hot nodes first in every partition;
 * every arc exactly once, in the partition owning its destination, with its original edge ID and optional columns,
 * rows in canonical neighbor order; the edge-cut figure. Shared by the unit and the S3 integration tests.
 */
export async function assertFaithful(graph: GraphData, pg: PartitionedGraph): Promise<void> {
  const m = pg.manifest;
  const maps = new Map<string, { internalOfOrig: Int32Array; origOfInternal: Int32Array }>();
  const inDeg = new Map(graph.ntypes.map((t) => [t.name, new Int32Array(t.numNodes)]));
  for (const e of graph.etypes) for (const d of e.edges.dst) inDeg.get(e.dstType)![d]++;

  for (const ntype of graph.ntypes) {
    const n = ntype.numNodes;
    const ranges = m.node_map[ntype.name];
    assert.equal(ranges[0][0], 0);
    assert.equal(ranges[ranges.length - 1][1], n);
    for (let p = 1; p < ranges.length; p++) assert.equal(ranges[p][0], ranges[p - 1][1], 'node_map contiguous');
    const idMaps = await pg.readIdMaps(ntype.name);
    maps.set(ntype.name, idMaps);
    assert.equal(idMaps.origOfInternal.length, n);
    const seen = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const o = idMaps.origOfInternal[i];
      assert.equal(seen[o], 0, `original node ${o} appears twice`);
      seen[o] = 1;
      assert.equal(idMaps.internalOfOrig[o], i, 'ID maps are inverse');
    }
    const deg = inDeg.get(ntype.name)!;
    for (let p = 0; p < m.num_parts; p++) {
      const [start, end] = ranges[p];
      for (let i = start + 1; i < end; i++) {
        const a = idMaps.origOfInternal[i - 1];
        const b = idMaps.origOfInternal[i];
        assert.ok(
          deg[a] > deg[b] || (deg[a] === deg[b] && a < b),
          `part ${p}: internal order by descending in-degree, then original ID`,
        );
      }
      const data = await pg.readNodeData(p, ntype.name);
      for (const [name, f] of ntype.features) {
        const got = data.features.get(name)!;
        assert.equal(got.dim, f.dim);
        for (let r = 0; r < end - start; r++) {
          const o = idMaps.origOfInternal[start + r];
          assert.deepEqual(
            got.data.subarray(r * f.dim, (r + 1) * f.dim),
            f.data.subarray(o * f.dim, (o + 1) * f.dim),
            `feature ${name} of node ${o}`,
          );
        }
      }
      for (let r = 0; r < end - start; r++) {
        const o = idMaps.origOfInternal[start + r];
        if (ntype.label) assert.equal(data.label![r], ntype.label[o], `label of node ${o}`);
        for (const mask of MASK_NAMES)
          if (ntype.masks[mask]) assert.equal(data.masks[mask]![r], ntype.masks[mask]![o], `${mask} of node ${o}`);
        if (ntype.time) assert.equal(data.time![r], ntype.time[o]);
      }
    }
  }

  let cut = 0;
  for (const etype of graph.etypes) {
    const { edges } = etype;
    const src = maps.get(etype.srcType)!;
    const dst = maps.get(etype.dstType)!;
    const srcTime = graph.ntypes.find((t) => t.name === etype.srcType)!.time;
    let maxId = 0;
    for (let a = 0; a < edges.src.length; a++) maxId = Math.max(maxId, edgeIdOf(edges, a));
    const arcOfId = new Int32Array(maxId + 1).fill(-1);
    for (let a = 0; a < edges.src.length; a++) arcOfId[edgeIdOf(edges, a)] = a;
    const found = new Uint8Array(edges.src.length);
    let total = 0;
    for (let p = 0; p < m.num_parts; p++) {
      const csc = await pg.readGraph(p, etype.name);
      const feats = await pg.readEdgeFeatures(p, etype.name);
      const [start, end] = m.node_map[etype.dstType][p];
      assert.equal(csc.indptr.length, end - start + 1);
      for (let r = 0; r < end - start; r++) {
        const dstOrig = dst.origOfInternal[start + r];
        for (let j = csc.indptr[r]; j < csc.indptr[r + 1]; j++) {
          const id = Number(csc.eid[j]);
          const arc = arcOfId[id];
          assert.ok(arc >= 0, `edge ID ${id} is not an input arc`);
          assert.equal(found[arc], 0, `edge ${id} stored twice`);
          found[arc] = 1;
          assert.equal(edges.dst[arc], dstOrig, `edge ${id} stored under the wrong destination`);
          assert.equal(src.origOfInternal[csc.nbr[j]], edges.src[arc], `edge ${id} has the wrong neighbor`);
          if (edges.weight) assert.equal(csc.weight![j], edges.weight[arc]);
          if (edges.time) assert.equal(csc.time![j], edges.time[arc]);
          if (srcTime) assert.equal(csc.nbrTime![j], srcTime[edges.src[arc]]);
          for (const [name, f] of edges.features) {
            assert.deepEqual(
              feats.get(name)!.data.subarray(j * f.dim, (j + 1) * f.dim),
              f.data.subarray(arc * f.dim, (arc + 1) * f.dim),
            );
          }
          if (j > csc.indptr[r]) {
            const t = csc.time ?? csc.nbrTime;
            const before = t
              ? t[j - 1] < t[j] || (t[j - 1] === t[j] && csc.eid[j - 1] < csc.eid[j])
              : csc.eid[j - 1] < csc.eid[j];
            assert.ok(before, `row of node ${dstOrig} is not in canonical order at edge ${id}`);
          }
          if (pg.partOf(etype.srcType, csc.nbr[j]) !== p) cut++;
          total++;
        }
      }
      assert.equal(m.parts[p].num_edges[etype.name], csc.nbr.length);
    }
    assert.equal(total, edges.src.length, `every arc of ${etype.name} stored`);
  }
  assert.equal(m.stats.edge_cut, cut, 'edge cut');
  assert.equal(
    m.num_edges,
    graph.etypes.reduce((n, e) => n + e.edges.src.length, 0),
  );
}

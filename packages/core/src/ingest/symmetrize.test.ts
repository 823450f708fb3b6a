import assert from 'node:assert/strict';
import { test } from 'node:test';
import { symmetrize } from './symmetrize.ts';

test('symmetrize: reverse of edge i is M + i, self-loops not doubled, existing arcs kept once with the lower ID', () => {
  // edges: 0:(0→1) 1:(1→1 loop) 2:(2→0) 3:(1→0, the reverse of edge 0 already present) 4:(0→1 duplicate of edge 0)
  const src = Int32Array.from([0, 1, 2, 1, 0]);
  const dst = Int32Array.from([1, 1, 0, 0, 1]);
  const weight = Float32Array.from([0.5, 1, 2, 3, 4]);
  const time = BigInt64Array.from([10n, 11n, 12n, 13n, 14n]);
  const out = symmetrize(
    {
      src,
      dst,
      weight,
      time,
      features: new Map([['f', { dim: 2, data: Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]) }]]),
    },
    3,
  );
  const arcs = [...out.eid!].map((id, k) => `${id}:${out.src[k]}->${out.dst[k]}`);
  // M = 5: reverse arcs 5 (1→0, dup of 3: dropped), 7 (0→2), 8 (0→1... dup of 0: dropped), 9 (1→0 dup of 3: dropped)
  assert.deepEqual(arcs, ['0:0->1', '1:1->1', '2:2->0', '3:1->0', '7:0->2']);
  assert.deepEqual([...out.weight!], [0.5, 1, 2, 3, 2]);
  assert.deepEqual([...out.time!], [10n, 11n, 12n, 13n, 12n]);
  assert.deepEqual([...out.features.get('f')!.data], [0, 0, 1, 1, 2, 2, 3, 3, 2, 2]);
});

import type { HopPartition } from '../hop.ts';
import { KernelHeap } from './kernel-heap.ts';

/**
 * Moves the arrays the kernels read (structure, edge IDs, original IDs) into this thread's kernel heap and marks the
 * partition `kernel`. Where there is no heap, or no room left in its 4 GiB, the partition stays as it is and the
 * JavaScript paths sample it: the kernels make sampling faster, never possible.
 */
export function placeInKernelHeap(p: HopPartition, heap = KernelHeap.get()): void {
  if (!heap) return;
  const blocks = heap.blocksOf(p);
  const { indptr, arcs, eidHi, origIds } = p;
  const copies = [indptr, arcs, origIds, ...(eidHi ? [eidHi] : [])].map((a) => blocks.copy(a));
  if (copies.some((c) => c === undefined)) {
    for (const c of copies) if (c) blocks.release(c);
    return;
  }
  [p.indptr, p.arcs, p.origIds, p.eidHi] = copies as Int32Array[];
  let maxDegree = 0;
  for (let r = 0; r + 1 < indptr.length; r++) maxDegree = Math.max(maxDegree, indptr[r + 1] - indptr[r]);
  p.kernel = { maxDegree };
}

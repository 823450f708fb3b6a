/** glibc's ceiling for its adaptive mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX). */
const GLIBC_MMAP_THRESHOLD_MAX = 32 << 20;
let retained = false;

/**
 * Lets glibc's malloc keep freed heap memory for the next allocations instead of handing it back to the system.
 *
 * A sampler turns over tens of MB of output arrays a second, which V8 frees together when it collects them. glibc
 * returns the top of its heap to the system once more than its trim threshold lies free there, and the threshold
 * starts at 128 KB; it rises only when an mmapped chunk is freed, to twice that chunk's size. So the heap was trimmed
 * after each collection and the next batches faulted every page in anew: on ego-Twitter with the workers transport,
 * 700 page faults a batch and 14 % of the coordinator's time in the kernel. Freeing one buffer just under the
 * ceiling once raises the process's thresholds to their adaptive maximum (mmap 32 MB, trim 64 MB), as mallopt would
 * but without a native call, and leaves glibc's adaptive behavior on. Elsewhere it costs one short-lived allocation.
 */
export function retainFreedHeap(): void {
  if (retained) return;
  retained = true;
  // Dropped at once: V8 frees it at its next collection, and that free is what moves the thresholds.
  void new ArrayBuffer(GLIBC_MMAP_THRESHOLD_MAX - (1 << 20));
}

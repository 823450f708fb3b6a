/**
 * The sampling kernels: the per-edge loops of a hop, compiled to WebAssembly (AssemblyScript). They draw exactly
 * what `sampling/hop.ts` draws (same keys, same Floyd variant, picks in canonical row order), so a batch is the same
 * whichever path samples it; JavaScript keeps the general cases (weights, time, exclusions, disjoint batches).
 *
 * Everything is addressed by byte offsets into the one memory the JavaScript side allocates from (KernelHeap). The
 * kernels allocate nothing; scratch regions come in as arguments. Rebuild with `npm run build:kernels`.
 */

// A part descriptor: eight i32 words per partition of the frontier's node type.
const KIND = 0;
const NONE: i32 = 0;
/** Sampled here. Words: start, indptr, arcs (neighbor and edge ID low word, per edge), eidHi (0: none), origIds. */
const LOCAL: i32 = 1;
/** Answered by a hop function. Words: counts, nbr, eidLo, eidHi (0: none), next node, next edge. */
const REMOTE: i32 = 2;
const DESCRIPTOR_BYTES = 32;

/** How many nodes the batch's source set holds: set before `mergeHop`, read after. */
export let numNodes: i32 = 0;

// ---- The keyed random draws of the determinism contract (sampling/keyed-random.ts). ----

@inline function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

@inline function nodeKey(base: u32, origId: i32): u32 {
  return fmix32(base ^ (<u32>(origId + 1) * 0x9e3779b9));
}

/** Draw `i` of a node key in [0, n): the multiply-shift of keyed-random.ts's drawBelow, exactly. */
@inline function drawBelow(key: u32, i: u32, n: u32): u32 {
  const u = fmix32(key ^ ((i + 1) * 0x9e3779b9));
  return <u32>((<u64>u * <u64>n) >>> 32);
}

@inline function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

@inline function setI32(base: usize, i: i32, value: i32): void {
  store<i32>(base + (<usize>i << 2), value);
}

// ---- Choosing a row's positions (hop.ts's choosePositions). ----

// The Floyd marks region (`marks`, KernelScratch.marks): the last stamp used (one word), at BITS the bit set of
// rows of 65 to BITSET_DEGREE positions, at POSITIONS one stamp word per position of longer rows. Rows up to
// BITSET_DEGREE read their picks off the set in order; longer ones stamp positions and sort their picks.
const BITSET_DEGREE = 256;
const BITS = 8;
const POSITIONS = BITS + BITSET_DEGREE / 8;

/**
 * The positions row `key` samples among `degree`, ascending, written to `picks`; returns how many. `k` > 0 and
 * degree > 0, and the node does not take all (hop.ts's takesAll is false). `marks` is the Floyd marks region above
 * (`marksBytes` long), its stamps zeroed when the stamp wraps.
 */
function choose(key: u32, degree: i32, k: i32, replace: bool, picks: usize, marks: usize, marksBytes: i32): i32 {
  if (replace) {
    for (let q = 0; q < k; q++) setI32(picks, q, <i32>drawBelow(key, <u32>q, <u32>degree));
    sortAscending(picks, k);
  } else if (degree <= 64) {
    // Floyd over a 64-bit set; the set bits read low to high are the picks in row order.
    let set: u64 = 0;
    let q: u32 = 0;
    for (let j = degree - k; j < degree; j++) {
      let t = <u64>drawBelow(key, q++, <u32>(j + 1));
      if ((set >>> t) & 1) t = <u64>j;
      set |= (<u64>1) << t;
    }
    let at = 0;
    while (set != 0) {
      setI32(picks, at++, <i32>ctz(set));
      set &= set - 1;
    }
  } else if (degree <= BITSET_DEGREE) {
    // The same Floyd draws over a bit set of a few words: no comparison sort for the many rows just over 64 (the
    // frontier past hop 0 holds neighbors, so high degrees are common there).
    const bits = marks + BITS;
    const words = (degree + 63) >>> 6;
    for (let w = 0; w < words; w++) store<u64>(bits + (<usize>w << 3), 0);
    let q: u32 = 0;
    for (let j = degree - k; j < degree; j++) {
      let t = drawBelow(key, q++, <u32>(j + 1));
      if ((load<u64>(bits + (<usize>(t >>> 6) << 3)) >>> <u64>(t & 63)) & 1) t = <u32>j;
      const word = bits + (<usize>(t >>> 6) << 3);
      store<u64>(word, load<u64>(word) | ((<u64>1) << <u64>(t & 63)));
    }
    let at = 0;
    for (let w = 0; w < words; w++) {
      let set = load<u64>(bits + (<usize>w << 3));
      while (set != 0) {
        setI32(picks, at++, (w << 6) + <i32>ctz(set));
        set &= set - 1;
      }
    }
  } else {
    let stamp = load<i32>(marks) + 1;
    if (stamp == 0x7fffffff) {
      memory.fill(marks, 0, marksBytes);
      stamp = 1;
    }
    store<i32>(marks, stamp);
    const at = marks + POSITIONS;
    let q = 0;
    for (let j = degree - k; j < degree; j++) {
      const t = <i32>drawBelow(key, <u32>q, <u32>(j + 1));
      const pick = i32At(at, t) == stamp ? j : t;
      setI32(at, pick, stamp);
      setI32(picks, q++, pick);
    }
    sortAscending(picks, k);
  }
  return k;
}

/** Sorts `n` i32 ascending: insertion sort for fanout-sized runs, heapsort beyond. */
function sortAscending(a: usize, n: i32): void {
  if (n <= 64) {
    for (let i = 1; i < n; i++) {
      const x = i32At(a, i);
      let j = i - 1;
      while (j >= 0 && i32At(a, j) > x) {
        setI32(a, j + 1, i32At(a, j));
        j--;
      }
      setI32(a, j + 1, x);
    }
    return;
  }
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(a, i, n);
  for (let end = n - 1; end > 0; end--) {
    const top = i32At(a, 0);
    setI32(a, 0, i32At(a, end));
    setI32(a, end, top);
    siftDown(a, 0, end);
  }
}

function siftDown(a: usize, i: i32, n: i32): void {
  const x = i32At(a, i);
  while (true) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && i32At(a, c + 1) > i32At(a, c)) c++;
    if (i32At(a, c) <= x) break;
    setI32(a, i, i32At(a, c));
    i = c;
  }
  setI32(a, i, x);
}

// ---- Reading rows ahead. ----
//
// A row's first edge, degree and original ID are cache misses at random rows. Read for every row in a pass of their
// own, the misses overlap (the loop is short and its iterations independent); read where a row is sampled, each one
// waited behind the previous row's draws (measured: hop functions 1.14× and in-process sampling 1.2× faster on
// ego-Twitter). `rowInfo` holds three words per row: first edge, degree, original ID.

const ROW_INFO_BYTES = 12;

@inline function readRow(indptr: usize, origIds: usize, r: i32, rowInfo: usize, i: i32): void {
  const first = i32At(indptr, r);
  const info = rowInfo + <usize>i * ROW_INFO_BYTES;
  store<i32>(info, first);
  store<i32>(info, i32At(indptr, r + 1) - first, 4);
  store<i32>(info, i32At(origIds, r), 8);
}

// ---- The hop function's side: one partition's answer to a request. ----
//
// Both kernels read their rows ahead, then work in two passes: the first draws every node's picks and writes where
// each chosen edge lives, the second loads them. The first pass then never waits on a neighbor list, and the second's
// iterations are independent, so their cache misses overlap instead of queueing one node at a time (measured 1.3×
// faster on ego-Twitter).

/**
 * Samples the request's `n` nodes (internal IDs at `nodes`; batch rows at `rows` when disjoint, else 0) of the
 * partition whose first row is node `start`:
 * writes each node's count to `counts` and the chosen in-edges' neighbors and edge IDs to `nbrOut`, `loOut` and
 * `hiOut` (0: not asked), node by node in canonical row order. Returns the number of edges written.
 */
export function sampleRows(
  start: i32,
  indptr: usize,
  arcs: usize,
  eidHi: usize,
  origIds: usize,
  nodes: usize,
  rows: usize,
  n: i32,
  k: i32,
  replace: bool,
  base: u32,
  counts: usize,
  nbrOut: usize,
  loOut: usize,
  hiOut: usize,
  picks: usize,
  marks: usize,
  marksBytes: i32,
  rowInfo: usize,
): i32 {
  // Pass 0: each row's first edge, degree and original ID, to `rowInfo`.
  for (let i = 0; i < n; i++) readRow(indptr, origIds, i32At(nodes, i) - start, rowInfo, i);
  // Pass 1: each chosen edge's position in the partition, to nbrOut.
  let at = 0;
  for (let i = 0; i < n; i++) {
    const info = rowInfo + <usize>i * ROW_INFO_BYTES;
    const first = load<i32>(info);
    const degree = load<i32>(info, 4);
    let count = degree;
    if (k < 0 || (!replace && degree <= k)) {
      for (let j = first; j < first + degree; j++) setI32(nbrOut, at++, j);
    } else if (degree > 0) {
      let key = nodeKey(base, load<i32>(info, 8));
      if (rows) key = fmix32(key ^ (<u32>(i32At(rows, i) + 1) * 0x85ebca77));
      count = choose(key, degree, k, replace, picks, marks, marksBytes);
      for (let q = 0; q < count; q++) setI32(nbrOut, at++, first + i32At(picks, q));
    }
    setI32(counts, i, count);
  }
  // Pass 2: the edges at those positions.
  for (let e = 0; e < at; e++) {
    const j = i32At(nbrOut, e);
    const arc = arcs + (<usize>j << 3);
    setI32(nbrOut, e, load<i32>(arc));
    if (loOut) setI32(loOut, e, load<i32>(arc, 4));
    if (hiOut) setI32(hiOut, e, i32At(eidHi, j));
  }
  return at;
}

// ---- The coordinator's side: one hop merged into the batch. ----

/**
 * One hop of a batch in frontier order: for frontier positions [begin, end) (internal IDs at `frontier`, each one's
 * part at `partOf[f - begin]`), samples nodes of LOCAL parts and takes REMOTE parts' answers from their responses,
 * appending each edge as (local index of its neighbor in the source set, f, edge ID halves) at `edge`. Neighbors
 * are relabelled through the direct-mapped table `slots` (DenseNodeMap's: one word per node ID, the batch's `tag`
 * above the local index in `mask`), new ones appended to `sources`. Returns the edge count after the hop; `numNodes`
 * is updated.
 */
export function mergeHop(
  frontier: usize,
  begin: i32,
  end: i32,
  partOf: usize,
  parts: usize,
  k: i32,
  replace: bool,
  base: u32,
  edgeIds: bool,
  slots: usize,
  tag: i32,
  mask: i32,
  sources: usize,
  rowOut: usize,
  colOut: usize,
  eidOut: usize,
  edge: i32,
  picks: usize,
  marks: usize,
  marksBytes: i32,
  rowInfo: usize,
): i32 {
  // Pass 0: the rows of LOCAL parts, to `rowInfo`.
  for (let f = begin; f < end; f++) {
    const d = parts + <usize>i32At(partOf, f - begin) * DESCRIPTOR_BYTES;
    if (i32At(d, KIND) != LOCAL) continue;
    readRow(<usize>i32At(d, 2), <usize>i32At(d, 5), i32At(frontier, f) - i32At(d, 1), rowInfo, f - begin);
  }
  // Pass 1: each edge's column, and for a sampled edge the addresses of its neighbor (in rowOut) and edge ID words
  // (in eidOut).
  const firstEdge = edge;
  for (let f = begin; f < end; f++) {
    const d = parts + <usize>i32At(partOf, f - begin) * DESCRIPTOR_BYTES;
    const kind = i32At(d, KIND);
    if (kind == LOCAL) {
      const arcs = <usize>i32At(d, 3);
      const eidHi = edgeIds ? <usize>i32At(d, 4) : 0;
      const info = rowInfo + <usize>(f - begin) * ROW_INFO_BYTES;
      const first = load<i32>(info);
      const degree = load<i32>(info, 4);
      if (k < 0 || (!replace && degree <= k)) {
        for (let j = first; j < first + degree; j++) locateEdge(f, arcs, edgeIds, eidHi, j, rowOut, colOut, eidOut, edge++);
      } else if (degree > 0) {
        const key = nodeKey(base, load<i32>(info, 8));
        const count = choose(key, degree, k, replace, picks, marks, marksBytes);
        for (let q = 0; q < count; q++) {
          locateEdge(f, arcs, edgeIds, eidHi, first + i32At(picks, q), rowOut, colOut, eidOut, edge++);
        }
      }
    } else if (kind == REMOTE) {
      const nbr = <usize>i32At(d, 2);
      const eidLo = edgeIds ? <usize>i32At(d, 3) : 0;
      const eidHi = edgeIds ? <usize>i32At(d, 4) : 0;
      const node = i32At(d, 5);
      const from = i32At(d, 6);
      const to = from + i32At(<usize>i32At(d, 1), node);
      // An answer is read in order, so its edges are final here but for the relabel: the neighbor goes to rowOut
      // tagged with a low 1 bit (pass 1's addresses are even), the edge ID straight to eidOut.
      for (let q = from; q < to; q++) {
        setI32(rowOut, edge, (i32At(nbr, q) << 1) | 1);
        setI32(colOut, edge, f);
        const id = eidOut + (<usize>edge << 3);
        store<i32>(id, eidLo ? i32At(eidLo, q) : 0);
        store<i32>(id, eidHi ? i32At(eidHi, q) : 0, 4);
        edge++;
      }
      setI32(d, 5, node + 1);
      setI32(d, 6, to);
    } else {
      unreachable();
    }
  }
  // Pass 2: load each sampled edge's neighbor and edge ID, and relabel every neighbor.
  for (let e = firstEdge; e < edge; e++) {
    const located = <u32>i32At(rowOut, e);
    let neighbor: i32;
    if (located & 1) {
      neighbor = <i32>(located >>> 1);
    } else {
      neighbor = load<i32>(<usize>located);
      const id = eidOut + (<usize>e << 3);
      const lo = <usize>load<i32>(id);
      const hi = <usize>load<i32>(id, 4);
      store<i32>(id, lo ? load<i32>(lo) : 0);
      store<i32>(id, hi ? load<i32>(hi) : 0, 4);
    }
    const slot = slots + (<usize>neighbor << 2);
    const word = load<i32>(slot);
    let local: i32;
    if ((word & ~mask) == tag) {
      local = word & mask;
    } else {
      local = numNodes++;
      store<i32>(slot, tag | local);
      setI32(sources, local, neighbor);
    }
    setI32(rowOut, e, local);
  }
  return edge;
}

/** Pass 1's record of edge `e`: column `f`, and where arc `j`'s neighbor and edge ID words are (0: none). */
@inline function locateEdge(
  f: i32,
  arcs: usize,
  edgeIds: bool,
  eidHi: usize,
  j: i32,
  rowOut: usize,
  colOut: usize,
  eidOut: usize,
  e: i32,
): void {
  const arc = arcs + (<usize>j << 3);
  setI32(rowOut, e, <i32>arc);
  setI32(colOut, e, f);
  const id = eidOut + (<usize>e << 3);
  store<i32>(id, edgeIds ? <i32>(arc + 4) : 0);
  store<i32>(id, eidHi ? <i32>(eidHi + (<usize>j << 2)) : 0, 4);
}

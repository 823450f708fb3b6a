/**
 * Runs `start` over `items` with up to `inFlight` of them at once and yields the results in item order, so the
 * work on later items overlaps with the consumer of earlier ones. A failure surfaces when its turn comes.
 */
export async function* inOrder<T, R>(
  items: Iterable<T>,
  start: (item: T) => Promise<R>,
  inFlight: number,
): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  for (const item of items) {
    const next = start(item);
    next.catch(() => {}); // surfaced when awaited below, in order
    window.push(next);
    if (window.length >= inFlight) yield await window.shift()!;
  }
  while (window.length > 0) yield await window.shift()!;
}

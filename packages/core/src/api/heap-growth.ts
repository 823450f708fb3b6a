import { setFlagsFromString } from 'node:v8';

/**
 * Pins V8's old-generation growing factor at 4, the most V8 itself picks, for a process that serves the API. Entry
 * points call it once at startup (the API's Lambda handler, `fanout dev`); importing the library changes no flags.
 *
 * Why: the API's JS heap is small (about 25 MB: the AWS SDK, Hono, zod) and gains little old-generation garbage per
 * request, while its young generation and ArrayBuffers churn by megabytes. From those rates V8 sets the next limit
 * at under 2× the live size after a mark-compact, and then starts incremental marking again at once (traced: "Start
 * (task)" with 24 of 49 MB free), so once one mark-compact has happened (external-memory pressure, or the memory
 * reducer after an idle spell, as between Lambda invocations) the API marks continuously. Measured on the serverless
 * bench's API, forced into that state: a mark-compact per 1024-seed request and 60–70 ms of CPU per request instead
 * of 27–32; with the factor pinned, 3–4 mark-compacts per 60–80 requests and 29–32 ms. The cost is a heap allowed to
 * reach 4× its live size between collections, about 100 MB here. V8's flags are per process: under `fanout dev` the
 * hop functions' containers, threads of the same process, get the factor too (their heaps, ~8 MB, were not seen
 * marking continuously either way).
 */
export function pinHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=300');
}

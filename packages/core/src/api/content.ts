import type { Context } from 'hono';
import type { SampleStats } from '../sampling/index.ts';
import { PROBLEM_JSON } from './problem.ts';
import { ProblemSchema } from './schemas.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/** Arrow when the client accepts it, JSON otherwise. */
export function wantsArrow(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes(ARROW_STREAM);
}

/** Binary and JSON bodies as responses (Hono's typings want ArrayBuffer-backed views). */
export function bytes(c: Context, body: Uint8Array, contentType: string): Response {
  return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'content-type': contentType });
}

/** What a sample cost, as response headers: function invocations, hop requests, partitions, frame bytes. */
export function costHeaders(c: Context, stats: SampleStats, version: string | undefined): void {
  c.header('Fanout-Invocations', String(stats.invocations));
  c.header('Fanout-Hop-Requests', String(stats.requests));
  c.header('Fanout-Partitions', String(stats.partitions));
  c.header('Fanout-Bytes', String(stats.bytesSent + stats.bytesReceived));
  if (version) c.header('Fanout-Graph-Version', version);
}

/** The OpenAPI description of error responses. */
export const problems = {
  content: { [PROBLEM_JSON]: { schema: ProblemSchema } },
  description: 'An RFC 9457 problem with a stable `code`',
};

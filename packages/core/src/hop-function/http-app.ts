import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { FanoutError } from '../errors/index.ts';
import { encodeError, packFrames, unpackFrames } from '../transport/frame.ts';
import { HOP_HTTP_PATH } from '../transport/http-channel.ts';
import type { HopFunction } from './hop-function.ts';

export interface HopHttpOptions {
  /** Bearer token callers must present (none: open, for a private network only). */
  token?: string;
  /** Largest request frame accepted (default 64 MiB). */
  maxRequestBytes?: number;
}

const OCTETS = { 'content-type': 'application/octet-stream' };

/** The hop function served over HTTP (hop workers run as containers): POST packed request frames, get response frames. */
export function createHopHttpApp(fn: HopFunction, options: HopHttpOptions = {}): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true, ...fn.service.stats() }));
  if (options.token) app.use(HOP_HTTP_PATH, bearerAuth({ token: options.token }));
  app.post(
    HOP_HTTP_PATH,
    bodyLimit({
      maxSize: options.maxRequestBytes ?? 64 * 2 ** 20,
      onError: () =>
        new Response(packFrames([encodeError(new FanoutError('LIMIT_EXCEEDED', 'hop request too large'))]), {
          status: 413,
          headers: OCTETS,
        }),
    }),
    async (c) => {
      let frames: ArrayBuffer[];
      try {
        frames = unpackFrames(await c.req.arrayBuffer());
      } catch (error) {
        return new Response(packFrames([encodeError(error)]), { status: 400, headers: OCTETS });
      }
      return new Response(packFrames(await fn.handleFrames(frames)), { headers: OCTETS });
    },
  );
  return app;
}

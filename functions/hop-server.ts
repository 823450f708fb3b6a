/**
 * The hop function as a long-running HTTP server, for hop workers run as containers (ECS, Kubernetes): POST frames to
 * /v1/hop. Configured by PORT, FANOUT_GRAPHS, FANOUT_HOP_TOKEN and FANOUT_CACHE_MB (the partition cache's budget).
 */
import { createHopHttpApp, HopFunction, serveFetch } from '@fanout/core';

const fn = new HopFunction({
  cacheBytes: Number(process.env.FANOUT_CACHE_MB ?? 4096) * 2 ** 20,
  graphsPrefix: process.env.FANOUT_GRAPHS,
});
const app = createHopHttpApp(fn, { token: process.env.FANOUT_HOP_TOKEN });
const server = await serveFetch(app.fetch, { port: Number(process.env.PORT ?? 8080), hostname: '0.0.0.0' });
console.log(JSON.stringify({ listening: server.url }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close());

/**
 * The HTTP API on its own, for the serverless bench: the same app and Node adapter as `fanout dev`'s API, configured
 * from the environment without hop functions, so hops run in its own process (`apiOptionsFromEnv`). Prints its URL
 * as one JSON line and serves until it is killed.
 */
import { apiOptionsFromEnv, createApi, pinHeapGrowth, serveFetch } from '@fanout/core';

pinHeapGrowth();

const api = await serveFetch(createApi(apiOptionsFromEnv()).fetch, { port: 0 });
process.stdout.write(`${JSON.stringify({ url: api.url })}\n`);

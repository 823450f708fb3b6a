import { OpenAPIHono } from '@hono/zod-openapi';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { type ApiLogger, defaultLogger } from './api-logger.ts';
import type { GraphCatalog } from './graph-catalog.ts';
import { type ApiLimits, DEFAULT_LIMITS } from './limits.ts';
import { errorToProblem, problem } from './problem.ts';
import { registerFeatureRoute } from './routes/features.ts';
import { registerGraphRoutes } from './routes/graphs.ts';
import { registerSampleRoute } from './routes/sample.ts';
import { registerSampleLinksRoute } from './routes/sample-links.ts';

export interface ApiOptions {
  catalog: GraphCatalog;
  /** Bearer token every request must carry (no auth when unset). */
  token?: string;
  limits?: Partial<ApiLimits>;
  /** Where the one structured line per request goes (default: Powertools Logger, JSON on stdout). */
  logger?: ApiLogger;
}

/**
 * The HTTP sampling API as one portable Hono app: Lambda runs it through hono/aws-lambda, Node through
 * @hono/node-server, tests through `app.request`. Routes live in routes/, one file per resource; the OpenAPI document
 * is generated from their zod schemas.
 *
 * Every request gets an ID (a valid X-Request-Id of the caller's, else a new UUID, echoed back) and one log line:
 * method, path, status, duration and cost, never headers or bodies, so tokens and data stay out of the logs. CORS
 * is off: no Access-Control-* headers are sent, so browsers on other origins cannot call the API.
 */
export function createApi(options: ApiOptions): OpenAPIHono {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      return problem(c, 'INVALID_ARGUMENT', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    },
  });
  const logger = options.logger ?? defaultLogger();
  app.onError((error, c) => errorToProblem(error, c, logger));
  app.notFound((c) => problem(c, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`));

  app.use('*', requestId(), async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      invocations: Number(c.res.headers.get('Fanout-Invocations') ?? 0),
      bytes: Number(c.res.headers.get('Fanout-Bytes') ?? 0),
    });
  });
  // The OpenAPI document is public; everything else needs the token when one is configured.
  if (options.token) {
    const auth = bearerAuth({ token: options.token });
    app.use('/v1/*', (c, next) => (c.req.path === '/v1/openapi.json' ? next() : auth(c, next)));
  }
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: (c) => problem(c, 'LIMIT_EXCEEDED', `request bodies are limited to ${limits.maxBodyBytes} bytes`),
    }),
  );

  registerGraphRoutes(app, options.catalog);
  registerSampleRoute(app, options.catalog, limits);
  registerSampleLinksRoute(app, options.catalog, limits);
  registerFeatureRoute(app, options.catalog, limits);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Fanout sampling API', version: '1', description: 'GNN mini-batch sampling over object storage' },
    security: options.token ? [{ bearer: [] }] : [],
  });
  return app;
}

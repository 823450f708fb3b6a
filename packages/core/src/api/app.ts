import { OpenAPIHono } from '@hono/zod-openapi';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
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
}

/**
 * The HTTP sampling API as one portable Hono app: Lambda runs it through hono/aws-lambda, Node through
 * @hono/node-server, tests through `app.request`. Routes live in routes/, one file per resource; the OpenAPI document
 * is generated from their zod schemas.
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
  app.onError(errorToProblem);
  app.notFound((c) => problem(c, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`));

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

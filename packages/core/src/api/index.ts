export { type ApiLimits, type ApiOptions, ARROW_STREAM, createApi, DEFAULT_LIMITS } from './app.ts';
export { apiOptionsFromEnv } from './config.ts';
export { assertGraphName, GraphCatalog, type GraphCatalogOptions, type ServedGraph } from './graph-catalog.ts';
export { createApiLambdaHandler } from './lambda.ts';
export { PROBLEM_JSON, type Problem } from './problem.ts';

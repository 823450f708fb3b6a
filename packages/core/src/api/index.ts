export { type ApiOptions, createApi } from './app.ts';
export { apiOptionsFromEnv } from './config.ts';
export { ARROW_STREAM } from './content.ts';
export { assertGraphName, GraphCatalog, type GraphCatalogOptions, type ServedGraph } from './graph-catalog.ts';
export { pinHeapGrowth } from './heap-growth.ts';
export { type ApiLambdaOptions, createApiLambdaHandler, LAMBDA_MAX_RESULT_BYTES } from './lambda.ts';
export { type ApiLimits, DEFAULT_LIMITS } from './limits.ts';
export { PROBLEM_JSON, type Problem } from './problem.ts';

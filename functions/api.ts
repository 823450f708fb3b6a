/** The HTTP sampling API behind API Gateway, configured by FANOUT_GRAPHS, FANOUT_HOP_FUNCTIONS, FANOUT_API_TOKEN. */
import { apiOptionsFromEnv, createApiLambdaHandler, pinHeapGrowth } from '@fanout/core';

pinHeapGrowth();

export const handler = createApiLambdaHandler(apiOptionsFromEnv());

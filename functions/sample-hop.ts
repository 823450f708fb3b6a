/**
 * The hop function: one-hop sampling for the partitions the pool map gives this function. Partitions stay cached in
 * the container between invocations, within a budget derived from the function's memory.
 */
import { createHopLambdaHandler, hopFunctionFromEnv } from '@fanout/core';

export const handler = createHopLambdaHandler(hopFunctionFromEnv());

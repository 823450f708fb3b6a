export { cacheBudget, HopFunction, type HopFunctionOptions } from './hop-function.ts';
export { createHopHttpApp, type HopHttpOptions } from './http-app.ts';
export { createHopLambdaHandler, hopFunctionFromEnv } from './lambda-handler.ts';

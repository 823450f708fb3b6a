export { type ErrorCode, FanoutError, isFanoutError } from './fanout-error.ts';

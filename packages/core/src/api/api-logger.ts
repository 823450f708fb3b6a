import { Logger } from '@aws-lambda-powertools/logger';

/** What the API logs through: Powertools' Logger fits, and tests pass a recorder. */
export interface ApiLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/**
 * Powertools Logger: one JSON object per line with level, timestamp and service, plus Lambda's context on Lambda.
 * The level comes from POWERTOOLS_LOG_LEVEL (or Lambda's advanced logging controls), INFO by default.
 */
export function defaultLogger(): ApiLogger {
  return new Logger({ serviceName: 'fanout-api' });
}

/**
 * Every failure Fanout reports on purpose is a FanoutError with a stable `code`, so callers (the CLI, the HTTP API,
 * retry policies) branch on the code and never on message text. Messages say what went wrong and what to do.
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'UNKNOWN_NODE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_INPUT'
  | 'CHECKSUM_MISMATCH'
  | 'INVALID_MANIFEST'
  | 'UNSUPPORTED_VERSION'
  | 'STORAGE_ERROR'
  | 'TRANSPORT_ERROR'
  | 'LIMIT_EXCEEDED'
  | 'UNAUTHORIZED';

export class FanoutError extends Error {
  override readonly name = 'FanoutError';
  /**
   * Whether trying again may succeed: by default transport and storage failures are (a lost connection, throttling,
   * a timeout), and bad input, missing objects and corrupt data are not.
   */
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options);
    this.retryable = options?.retryable ?? (code === 'TRANSPORT_ERROR' || code === 'STORAGE_ERROR');
  }
}

export function isFanoutError(error: unknown, code?: ErrorCode): error is FanoutError {
  return error instanceof FanoutError && (code === undefined || error.code === code);
}

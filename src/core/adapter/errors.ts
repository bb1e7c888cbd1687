/**
 * Typed errors shared by the whole gateway. Retry decisions are made on the error's type,
 * never on its message text: adapters map their SDK's errors to these at their edge.
 */
export abstract class GatewayError extends Error {
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A failure that may succeed later (rate limit, 5xx, timeout, connection reset). */
export class RetryableError extends GatewayError {
  readonly retryable = true;

  /**
   * @param retryAfterMs how long the platform asked us to wait, when it said so
   *   (Telegram `retry_after`, Matrix `retry_after_ms`, HTTP `Retry-After`).
   */
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The platform throttled us; always retryable. */
export class RateLimitedError extends RetryableError {}

/**
 * A failure that will not go away by retrying (blocked by the user, chat not found, invalid
 * number). `reason` is human readable: it reaches the agent as the FAILED status of a reply.
 */
export class PermanentError extends GatewayError {
  readonly retryable = false;
  /** The platform's own error code, when it has one (Twilio 21610, Matrix M_FORBIDDEN...). */
  readonly code?: string;

  constructor(
    readonly reason: string,
    options?: { cause?: unknown; code?: string },
  ) {
    super(reason, options);
    this.code = options?.code;
  }
}

/** Credentials entered in the connection popup were rejected by the platform. */
export class InvalidCredentialsError extends PermanentError {}

/** True for errors that a queue should retry. Unknown errors count as retryable. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof GatewayError) return error.retryable;
  return true;
}

/** The delay the platform asked for, if the error carries one. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof RetryableError ? error.retryAfterMs : undefined;
}

/** A human-readable reason for an agent or an operator. */
export function reasonOf(error: unknown): string {
  if (error instanceof PermanentError) return error.reason;
  if (error instanceof Error) return error.message;
  return String(error);
}

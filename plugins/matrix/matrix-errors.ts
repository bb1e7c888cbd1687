/**
 * Matrix error bodies (`{errcode, error}`) and their mapping to the gateway's typed errors.
 */
import {
  InvalidCredentialsError,
  PermanentError,
  RateLimitedError,
  RetryableError,
  type GatewayError,
} from '../../src/core/adapter';

export class MatrixApiError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    readonly reason: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(`${errcode}: ${reason}`, options);
    this.name = 'MatrixApiError';
    this.retryAfterMs = options?.retryAfterMs;
  }

  readonly retryAfterMs?: number;

  static async fromResponse(response: Response): Promise<MatrixApiError> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const record = isRecord(body) ? body : {};
    const errcode = typeof record.errcode === 'string' ? record.errcode : `HTTP_${response.status}`;
    const reason =
      typeof record.error === 'string' && record.error.trim() !== ''
        ? record.error
        : `the homeserver answered ${response.status} ${response.statusText}`.trim();
    return new MatrixApiError(response.status, errcode, reason, {
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), record.retry_after_ms),
    });
  }
}

/** `Retry-After` (seconds, v1.10+) first, then the deprecated body `retry_after_ms`. */
function retryAfterMs(header: string | null, bodyValue: unknown): number | undefined {
  if (header !== null && /^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  return typeof bodyValue === 'number' && bodyValue >= 0 ? bodyValue : undefined;
}

const PERMANENT_CODES = new Set([
  'M_FORBIDDEN',
  'M_NOT_FOUND',
  'M_UNKNOWN_TOKEN',
  'M_MISSING_TOKEN',
  'M_BAD_JSON',
  'M_NOT_JSON',
  'M_MISSING_PARAM',
  'M_INVALID_PARAM',
  'M_TOO_LARGE',
  'M_UNRECOGNIZED',
  'M_USER_LOCKED',
  'M_USER_SUSPENDED',
  'M_USER_DEACTIVATED',
  'M_GUEST_ACCESS_FORBIDDEN',
]);

/** Maps any error of a Matrix call to RateLimitedError, RetryableError or PermanentError. */
export function toGatewayError(error: unknown, what: string): GatewayError {
  if (!(error instanceof MatrixApiError)) {
    return new RetryableError(`${what}: ${String(error)}`, undefined, { cause: error });
  }
  if (error.errcode === 'M_LIMIT_EXCEEDED' || error.status === 429) {
    return new RateLimitedError(`${what}: ${error.reason}`, error.retryAfterMs ?? 1000, {
      cause: error,
    });
  }
  if (error.errcode === 'M_RESOURCE_LIMIT_EXCEEDED') {
    return new RetryableError(`${what}: ${error.reason}`, error.retryAfterMs, { cause: error });
  }
  if (error.status === 0 || error.status >= 500) {
    return new RetryableError(`${what}: ${error.reason}`, error.retryAfterMs, { cause: error });
  }
  if (error.errcode === 'M_UNKNOWN_TOKEN' || error.errcode === 'M_MISSING_TOKEN') {
    return new PermanentError(`${what}: the access token was rejected (${error.reason})`, {
      cause: error,
      code: error.errcode,
    });
  }
  if (PERMANENT_CODES.has(error.errcode) || (error.status >= 400 && error.status < 500)) {
    return new PermanentError(`${what}: ${error.reason}`, { cause: error, code: error.errcode });
  }
  return new RetryableError(`${what}: ${error.reason}`, undefined, { cause: error });
}

/** For validateCredentials: a rejected token or password is an InvalidCredentialsError. */
export function toCredentialsError(error: unknown): Error {
  if (error instanceof MatrixApiError && error.status !== 0 && error.status < 500) {
    if (error.status === 429) return toGatewayError(error, 'login');
    return new InvalidCredentialsError(`The homeserver rejected the credentials: ${error.reason}`, {
      cause: error,
      code: error.errcode,
    });
  }
  if (error instanceof MatrixApiError && error.status === 0) {
    return new InvalidCredentialsError(`The homeserver is unreachable: ${error.reason}`, {
      cause: error,
    });
  }
  return toGatewayError(error, 'validate credentials');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

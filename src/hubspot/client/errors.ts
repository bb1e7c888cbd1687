import { PermanentError, RateLimitedError, RetryableError } from '../../core/adapter/errors';

/** What HubSpot said in its standard error body (spec 11.2); every field may be missing. */
export interface HubSpotErrorDetails {
  /** HTTP status of the response. */
  status: number;
  /** `category`, or the OAuth endpoint's `status` code (e.g. BAD_REFRESH_TOKEN). */
  category?: string;
  subCategory?: string;
  correlationId?: string;
  /** `policyName` of a 429 (TEN_SECONDLY_ROLLING, DAILY...). */
  policyName?: string;
  context?: Record<string, unknown>;
  errors?: { message: string; code?: string; in?: string; subCategory?: string }[];
  /** The operation that failed, as `METHOD /path` (no query: it may hold the developer key). */
  operation: string;
}

function describe(message: string, details: HubSpotErrorDetails): string {
  const parts = [details.category, details.subCategory].filter(Boolean).join('/');
  const where = details.correlationId ? ` (correlationId ${details.correlationId})` : '';
  return `HubSpot ${details.status}${parts ? ` ${parts}` : ''} on ${details.operation}: ${message}${where}`;
}

/**
 * A 4xx that retrying will not fix (validation, missing scopes, not found, conflict, a token
 * rejected even after a refresh). `reason` carries HubSpot's message and correlation id.
 */
export class HubSpotApiError extends PermanentError {
  readonly status: number;
  readonly hubspotMessage: string;
  readonly correlationId?: string;
  readonly category?: string;
  readonly details: HubSpotErrorDetails;

  constructor(message: string, details: HubSpotErrorDetails, options?: { cause?: unknown }) {
    super(describe(message, details), { ...options, code: details.category });
    this.status = details.status;
    this.hubspotMessage = message;
    this.correlationId = details.correlationId;
    this.category = details.category;
    this.details = details;
  }
}

/** 429 from HubSpot, or our own limiter refusing to wait longer. */
export class HubSpotRateLimitedError extends RateLimitedError {
  readonly correlationId?: string;
  readonly policyName?: string;

  constructor(
    message: string,
    retryAfterMs: number | undefined,
    extra: { correlationId?: string; policyName?: string; cause?: unknown } = {},
  ) {
    super(message, retryAfterMs, { cause: extra.cause });
    this.correlationId = extra.correlationId;
    this.policyName = extra.policyName;
  }
}

/** 5xx (or 408): HubSpot failed; the same request may succeed later. */
export class HubSpotServerError extends RetryableError {
  readonly status: number;
  readonly correlationId?: string;

  constructor(message: string, details: HubSpotErrorDetails, retryAfterMs?: number) {
    super(describe(message, details), retryAfterMs);
    this.status = details.status;
    this.correlationId = details.correlationId;
  }
}

/** No usable answer: timeout, connection refused or reset, DNS failure, aborted by the caller. */
export class HubSpotTransportError extends RetryableError {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network' | 'aborted',
    cause?: unknown,
  ) {
    super(message, undefined, { cause });
  }
}

/**
 * The portal's install cannot be used (never installed, refresh token rejected, uninstalled):
 * nothing works until an admin re-authorizes the app.
 */
export class HubSpotInstallBrokenError extends PermanentError {
  constructor(
    readonly portalId: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`HubSpot portal ${portalId} needs to re-authorize the app: ${reason}`, {
      ...options,
      code: 'INSTALL_BROKEN',
    });
  }
}

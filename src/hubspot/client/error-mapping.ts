import type { GatewayError } from '../../core/adapter/errors';
import {
  HubSpotApiError,
  type HubSpotErrorDetails,
  HubSpotRateLimitedError,
  HubSpotServerError,
  HubSpotTransportError,
} from './errors';

export interface ParsedErrorBody {
  message: string;
  details: Omit<HubSpotErrorDetails, 'status' | 'operation'>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads HubSpot's error body (spec 11.2) defensively: any field may be absent or mistyped. */
export function parseErrorBody(text: string, status: number): ParsedErrorBody {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!isRecord(body)) {
    const snippet = text.trim().slice(0, 200);
    return { message: snippet || `HTTP ${status} without a body`, details: {} };
  }
  const errors = Array.isArray(body.errors)
    ? body.errors.filter(isRecord).map((e) => ({
        message: str(e.message) ?? 'invalid',
        ...(str(e.code) && { code: str(e.code) }),
        ...(str(e.in) && { in: str(e.in) }),
        ...(str(e.subCategory) && { subCategory: str(e.subCategory) }),
      }))
    : undefined;
  // OAuth errors put their code in `status` (BAD_REFRESH_TOKEN); API errors use `category`.
  const oauthCode = str(body.status) !== 'error' ? str(body.status) : undefined;
  const firstDetail = errors?.[0]?.message;
  const baseMessage = str(body.message) ?? str(body.error_description) ?? str(body.error);
  return {
    message: baseMessage ?? firstDetail ?? `HTTP ${status}`,
    details: {
      category: str(body.category) ?? oauthCode ?? str(body.errorType) ?? str(body.error),
      subCategory: str(body.subCategory),
      correlationId: str(body.correlationId),
      policyName: str(body.policyName),
      ...(isRecord(body.context) && { context: body.context }),
      ...(errors && errors.length > 0 && { errors }),
    },
  };
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Milliseconds until the next UTC midnight (when a DAILY policy resets). */
export function msUntilUtcMidnight(now = Date.now()): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - now;
}

/**
 * Maps a non-2xx answer to the gateway's error types: 429 -> RateLimitedError (retryable, with
 * Retry-After), 408/5xx -> RetryableError, every other 4xx -> PermanentError with HubSpot's
 * message and correlation id.
 */
export function mapErrorResponse(
  status: number,
  headers: Pick<Headers, 'get'>,
  bodyText: string,
  operation: string,
): GatewayError {
  const { message, details: parsed } = parseErrorBody(bodyText, status);
  const details: HubSpotErrorDetails = { ...parsed, status, operation };
  const retryAfter = parseRetryAfter(headers.get('retry-after'));
  if (status === 429) {
    const hint = retryAfter ?? (parsed.policyName === 'DAILY' ? msUntilUtcMidnight() : undefined);
    return new HubSpotRateLimitedError(`HubSpot rate limit on ${operation}: ${message}`, hint, {
      correlationId: parsed.correlationId,
      policyName: parsed.policyName,
    });
  }
  if (status >= 500 || status === 408) return new HubSpotServerError(message, details, retryAfter);
  return new HubSpotApiError(message, details);
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; isRecord(current) && depth < 5; depth++) {
    if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) return current.code;
    current = current.cause;
  }
  return undefined;
}

/** A fetch that threw (no response): always retryable, kind tells timeout from network. */
export function mapTransportError(
  error: unknown,
  operation: string,
  timedOut: boolean,
  callerAborted: boolean,
): HubSpotTransportError {
  if (timedOut) {
    return new HubSpotTransportError(`HubSpot request timed out: ${operation}`, 'timeout', error);
  }
  if (callerAborted) {
    return new HubSpotTransportError(`HubSpot request aborted: ${operation}`, 'aborted', error);
  }
  const code = codeOf(error);
  const text = error instanceof Error ? error.message : String(error);
  return new HubSpotTransportError(
    `HubSpot request failed (${code ?? text}): ${operation}`,
    'network',
    error,
  );
}

/**
 * Maps twilio-node failures (RestException, network errors) to the gateway's typed errors.
 */
import {
  InvalidCredentialsError,
  PermanentError,
  RateLimitedError,
  RetryableError,
} from '../../../../src/core/adapter';
import { RETRYABLE_TWILIO_CODES, twilioReason } from './twilio-error-codes';

/** Twilio sends no Retry-After; twilio-node's own backoff caps at 3 s. */
export const TWILIO_RATE_LIMIT_BACKOFF_MS = 2000;
/** A 21611 (sender queue full) clears as the queue drains. */
export const TWILIO_QUEUE_FULL_BACKOFF_MS = 60_000;

export interface TwilioRestError {
  status: number;
  code?: number;
  message: string;
}

export function asTwilioRestError(error: unknown): TwilioRestError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, code, message } = error as Record<string, unknown>;
  if (typeof status !== 'number') return undefined;
  return {
    status,
    code: typeof code === 'number' ? code : undefined,
    message: typeof message === 'string' ? message : '',
  };
}

export function twilioErrorCode(error: unknown): string | undefined {
  const code = asTwilioRestError(error)?.code;
  return code === undefined ? undefined : String(code);
}

/** The gateway error for a failed send. */
export function mapSendError(error: unknown): Error {
  const rest = asTwilioRestError(error);
  if (!rest) {
    return new RetryableError(`Twilio request failed: ${describe(error)}`, undefined, {
      cause: error,
    });
  }
  const code = rest.code === undefined ? undefined : String(rest.code);
  const reason = twilioReason(code, rest.message);
  if (rest.status === 429 || code === '20429') {
    return new RateLimitedError(reason, TWILIO_RATE_LIMIT_BACKOFF_MS, { cause: error });
  }
  if (code === '21611') return new RetryableError(reason, TWILIO_QUEUE_FULL_BACKOFF_MS);
  if (rest.status >= 500 || (code !== undefined && RETRYABLE_TWILIO_CODES.has(code))) {
    return new RetryableError(reason, undefined, { cause: error });
  }
  if (rest.status === 401 || code === '20003') {
    return new PermanentError(`${reason}: reconnect the channel with valid credentials`, {
      cause: error,
      code,
    });
  }
  return new PermanentError(reason, { cause: error, code });
}

/** The gateway error for a failed credentials check. */
export function mapValidationError(error: unknown): Error {
  const rest = asTwilioRestError(error);
  if (rest && (rest.status === 401 || rest.status === 403 || rest.code === 20003)) {
    return new InvalidCredentialsError(
      'Twilio rejected the Account SID or Auth Token (20003): copy both from the Twilio Console',
      { cause: error, code: '20003' },
    );
  }
  if (rest && rest.status === 404) {
    return new InvalidCredentialsError('Twilio does not know this Account SID (20404)', {
      cause: error,
      code: '20404',
    });
  }
  return mapSendError(error);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}

import {
  isRetryable,
  PermanentError,
  RateLimitedError,
  RetryableError,
} from '../../core/adapter/errors';
import {
  mapErrorResponse,
  mapTransportError,
  parseErrorBody,
  parseRetryAfter,
} from './error-mapping';
import { HubSpotApiError, HubSpotRateLimitedError, HubSpotServerError } from './errors';

const json = (body: unknown) => JSON.stringify(body);

describe('mapErrorResponse', () => {
  it('maps 429 to a RateLimitedError honouring Retry-After', () => {
    const error = mapErrorResponse(
      429,
      new Headers({ 'retry-after': '3' }),
      json({
        status: 'error',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        correlationId: 'c-1',
        message: 'You have reached your ten_secondly_rolling limit.',
      }),
      'POST /x',
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toBeInstanceOf(HubSpotRateLimitedError);
    expect((error as HubSpotRateLimitedError).retryAfterMs).toBe(3000);
    expect((error as HubSpotRateLimitedError).policyName).toBe('TEN_SECONDLY_ROLLING');
    expect((error as HubSpotRateLimitedError).correlationId).toBe('c-1');
  });

  it('waits until midnight UTC for a DAILY 429 without Retry-After', () => {
    const error = mapErrorResponse(429, new Headers(), json({ policyName: 'DAILY' }), 'GET /x');
    expect((error as RetryableError).retryAfterMs).toBeGreaterThan(0);
    expect((error as RetryableError).retryAfterMs).toBeLessThanOrEqual(86_400_000);
  });

  it.each([500, 502, 503, 504, 408])('maps %i to a retryable server error', (status) => {
    const error = mapErrorResponse(
      status,
      new Headers(),
      json({ message: 'boom', correlationId: 'c' }),
      'GET /x',
    );
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toBeInstanceOf(HubSpotServerError);
    expect(isRetryable(error)).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 415])(
    'maps %i to a permanent error with message and correlation id',
    (status) => {
      const error = mapErrorResponse(
        status,
        new Headers(),
        json({
          status: 'error',
          category: 'VALIDATION_ERROR',
          message: 'bad input',
          correlationId: 'abc-123',
        }),
        'POST /crm/v3/objects/tickets',
      );
      expect(error).toBeInstanceOf(PermanentError);
      const api = error as HubSpotApiError;
      expect(api.status).toBe(status);
      expect(api.hubspotMessage).toBe('bad input');
      expect(api.correlationId).toBe('abc-123');
      expect(api.code).toBe('VALIDATION_ERROR');
      expect(api.reason).toContain('bad input');
      expect(api.reason).toContain('abc-123');
      expect(isRetryable(error)).toBe(false);
    },
  );
});

describe('parseErrorBody', () => {
  it('reads the OAuth error code from `status`', () => {
    const parsed = parseErrorBody(
      json({
        status: 'BAD_REFRESH_TOKEN',
        message: 'missing or unknown refresh token',
        correlationId: 'x',
      }),
      400,
    );
    expect(parsed.details.category).toBe('BAD_REFRESH_TOKEN');
    expect(parsed.message).toBe('missing or unknown refresh token');
  });

  it('keeps a text body as the message', () => {
    expect(parseErrorBody('<html>Bad gateway</html>', 502).message).toBe(
      '<html>Bad gateway</html>',
    );
    expect(parseErrorBody('', 502).message).toBe('HTTP 502 without a body');
  });

  it('keeps the detail errors', () => {
    const parsed = parseErrorBody(
      json({ message: 'Invalid input', errors: [{ message: 'text is required', in: 'text' }, 3] }),
      400,
    );
    expect(parsed.details.errors).toEqual([{ message: 'text is required', in: 'text' }]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('mapTransportError', () => {
  it('tells timeouts, aborts and network failures apart, all retryable', () => {
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
    });
    expect(mapTransportError(reset, 'GET /x', false, false).kind).toBe('network');
    expect(mapTransportError(reset, 'GET /x', false, false).message).toContain('ECONNRESET');
    expect(mapTransportError(new Error('aborted'), 'GET /x', true, false).kind).toBe('timeout');
    expect(mapTransportError(new Error('aborted'), 'GET /x', false, true).kind).toBe('aborted');
    expect(isRetryable(mapTransportError(reset, 'GET /x', false, false))).toBe(true);
  });
});

import {
  InvalidCredentialsError,
  PermanentError,
  RateLimitedError,
  RetryableError,
} from '../../../src/core/adapter';
import { twilioReason } from '../providers/twilio/twilio-error-codes';
import { mapSendError, mapValidationError } from '../providers/twilio/twilio-errors';

const rest = (status: number, code?: number, message = 'Twilio says no') => ({
  status,
  code,
  message,
  moreInfo: `https://www.twilio.com/docs/errors/${code}`,
});

describe('Twilio error mapping', () => {
  it('429 / 20429 -> RateLimitedError with a backoff', () => {
    const error = mapSendError(rest(429, 20429));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(2000);
  });

  it('5xx and network errors -> RetryableError', () => {
    expect(mapSendError(rest(503, 20500))).toBeInstanceOf(RetryableError);
    expect(
      mapSendError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    ).toBeInstanceOf(RetryableError);
  });

  it('21611 (sender queue full) -> RetryableError later', () => {
    const error = mapSendError(rest(400, 21611));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).not.toBeInstanceOf(PermanentError);
  });

  it.each([
    21211, 21612, 21614, 21408, 21610, 30003, 30005, 30006, 30007, 21606, 21621, 21620, 21623,
  ])('%i -> PermanentError with a readable reason and the code', (code) => {
    const error = mapSendError(rest(400, code));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe(String(code));
    expect((error as PermanentError).reason).toMatch(new RegExp(`[a-z]{4}.*\\(Twilio ${code}\\)`));
  });

  it("unknown codes keep Twilio's message", () => {
    expect((mapSendError(rest(400, 21999, 'Odd thing')) as PermanentError).reason).toBe(
      'Odd thing (Twilio 21999)',
    );
  });

  it('401 on validation -> InvalidCredentialsError', () => {
    expect(mapValidationError(rest(401, 20003))).toBeInstanceOf(InvalidCredentialsError);
    expect(mapValidationError(rest(404, 20404))).toBeInstanceOf(InvalidCredentialsError);
  });

  it('gives reasons for the async error codes', () => {
    expect(twilioReason('30007')).toBe('filtered by the carrier (spam or content) (Twilio 30007)');
    expect(twilioReason(undefined, 'x')).toBe('x');
  });
});

import { describe, expect } from '@jest/globals';
import {
  GatewayError,
  isRetryable,
  PermanentError,
  RetryableError,
  retryAfterOf,
} from '../../../src/core/adapter';
import type { HarnessAccount } from '../conformance-harness';
import type { CheckContext } from './check-context';

const RETRY_AFTER_MS = 2000;

export function describeErrorChecks<S extends object, A extends HarnessAccount>({
  session,
  check,
}: CheckContext<S, A>): void {
  describe('send errors', () => {
    const failedSend = async (failure: Parameters<typeof session.harness.failNextSend>[1]) => {
      const main = await session.mainAccount();
      await session.harness.failNextSend(main.platform, failure);
      const message = session.outboundMessage(main.conversation, { text: 'this one fails' });
      return session.adapter.send(main.context, message).then(
        () => new Error('send succeeded although the platform failed it'),
        (error: unknown) => error,
      );
    };

    check('a platform rate limit surfaces as a RetryableError with retryAfterMs', async () => {
      const error = await failedSend({ type: 'rate-limit', retryAfterMs: RETRY_AFTER_MS });
      expect(error).toBeInstanceOf(RetryableError);
      expect(isRetryable(error)).toBe(true);
      const retryAfter = retryAfterOf(error);
      expect(retryAfter).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
      expect(retryAfter).toBeLessThanOrEqual(RETRY_AFTER_MS + 1000);
    });

    check(
      'a permanent platform failure surfaces as a PermanentError with a readable reason',
      async () => {
        const error = await failedSend({ type: 'permanent', reason: 'recipient blocked' });
        expect(error).toBeInstanceOf(PermanentError);
        expect(error).toBeInstanceOf(GatewayError);
        expect(isRetryable(error)).toBe(false);
        const reason = (error as PermanentError).reason;
        expect(reason).toMatch(/[a-z]{3}/i);
        expect(reason).not.toMatch(/^(HTTP )?\d{3}$/);
      },
    );

    check('the next send after a failure goes through', async () => {
      const main = await session.mainAccount();
      const message = session.outboundMessage(main.conversation, { text: 'after the failures' });
      const { received } = await session.sendAndRead(main, message);
      expect(received[0].text).toBe('after the failures');
    });
  });
}

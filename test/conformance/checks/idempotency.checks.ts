import { describe, expect } from '@jest/globals';
import type { HarnessAccount } from '../conformance-harness';
import type { CheckContext } from './check-context';

export function describeIdempotencyChecks<S extends object, A extends HarnessAccount>({
  session,
  check,
}: CheckContext<S, A>): void {
  describe('redelivery', () => {
    check('a redelivered platform event yields the same eventId', async () => {
      const main = await session.mainAccount();
      const { event: first } = await session.inject(main, {
        kind: 'text',
        text: 'deliver me twice',
      });
      const since = main.context.emitted.length;
      await session.harness.redeliverLastEvent(main.platform);
      const again = await main.context.waitForEvent(undefined, {
        since,
        timeoutMs: session.eventTimeoutMs,
      });
      expect(again.eventId).toBe(first.eventId);
      expect(again).toEqual(first);
    });
  });
}

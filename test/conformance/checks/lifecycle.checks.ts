import { describe, expect } from '@jest/globals';
import type { InboundEvent } from '../../../src/core/adapter';
import type { HarnessAccount } from '../conformance-harness';
import type { CheckContext } from './check-context';

const hasText = (text: string) => (event: InboundEvent) =>
  event.type === 'message' && event.text === text;

export function describeLifecycleChecks<S extends object, A extends HarnessAccount>({
  session,
  check,
}: CheckContext<S, A>): void {
  describe('startReceiving / stopReceiving', () => {
    check('stopReceiving is safe for an account that never started', async () => {
      await expect(
        session.adapter.stopReceiving('conformance-never-started'),
      ).resolves.toBeUndefined();
    });

    check(
      'startReceiving twice, then each event is emitted once; stop twice, then nothing',
      async () => {
        const account = await session.newAccount();
        await session.startReceiving(account);
        await session.startReceiving(account);
        const { event } = await session.inject(account, { kind: 'text', text: 'once only' });
        expect(event).toMatchObject({ type: 'message', text: 'once only' });
        await account.context.eventsDuring(session.quietPeriodMs);
        expect(account.context.emitted.filter(hasText('once only'))).toHaveLength(1);

        await session.stopReceiving(account);
        await session.stopReceiving(account);
        const during = account.context.emitted.length;
        await session.harness.injectCustomerEvent(account.platform, {
          kind: 'text',
          text: 'while stopped',
        });
        await account.context.eventsDuring(session.quietPeriodMs);
        expect(account.context.emitted.slice(during)).toEqual([]);

        await session.startReceiving(account);
        await session.inject(
          account,
          { kind: 'text', text: 'after restart' },
          hasText('after restart'),
        );
        await session.stopReceiving(account);
      },
    );
  });
}

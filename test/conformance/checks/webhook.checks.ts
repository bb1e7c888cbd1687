import { describe, expect } from '@jest/globals';
import type { AdapterWebhookRequest } from '../../../src/core/adapter';
import type { HarnessAccount } from '../conformance-harness';
import type { CheckContext } from './check-context';

const AUTH_LIKE = /sign|secret|token|auth|hmac/i;

/** The default forgery: the genuine request without its signature-like headers. */
export function withoutAuthHeaders(request: AdapterWebhookRequest): AdapterWebhookRequest {
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => !AUTH_LIKE.test(name)),
  );
  return { ...request, headers };
}

export function describeWebhookChecks<S extends object, A extends HarnessAccount>({
  session,
  check,
}: CheckContext<S, A>): void {
  describe('handleWebhook security', () => {
    check('forged requests are answered 401, emit nothing and change no state', async () => {
      const { handleWebhook } = session.adapter;
      if (!handleWebhook) return; // not implemented: see "undeclared capabilities"
      const main = await session.mainAccount();
      const genuine = session.relay.lastAccepted(main.context.accountId) ?? {
        method: 'POST',
        subPath: '',
        publicUrl: main.context.webhookUrl,
        headers: { 'content-type': 'application/json' },
        query: {},
        rawBody: Buffer.from('{}'),
      };
      const forgeries = session.harness.forgeWebhookRequests?.(genuine) ?? [
        withoutAuthHeaders(genuine),
      ];
      expect(forgeries.length).toBeGreaterThan(0);
      for (const forged of forgeries) {
        await session.harness.settle?.(main.platform);
        const state = main.context.state.snapshot();
        const since = main.context.emitted.length;
        const response = await handleWebhook.call(session.adapter, main.context, forged);
        expect(response.status).toBe(401);
        await main.context.eventsDuring(session.quietPeriodMs);
        expect(main.context.emitted.slice(since)).toEqual([]);
        expect(main.context.state.snapshot()).toEqual(state);
      }
    });
  });
}

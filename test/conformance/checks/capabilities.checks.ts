import { describe, expect } from '@jest/globals';
import type { InboundEvent } from '../../../src/core/adapter';
import type { HarnessAccount } from '../conformance-harness';
import type { CheckContext } from './check-context';

/** Runs last: looks at every event the run produced. */
export function describeCapabilityChecks<S extends object, A extends HarnessAccount>({
  session,
  check,
}: CheckContext<S, A>): void {
  const events = (): InboundEvent[] => session.contexts.flatMap((context) => context.emitted);

  describe('undeclared capabilities and event hygiene', () => {
    check('events show only declared capabilities', async () => {
      const { inbound, outbound } = session.manifest;
      const declared: string[] = inbound.attachments;
      for (const event of events()) {
        if (event.type === 'message') {
          for (const a of event.attachments) expect(declared).toContain(a.kind);
          if (!inbound.edits) expect(event.editOf).toBeUndefined();
          if (!inbound.replies) expect(event.inReplyToExternalId).toBeUndefined();
        }
        if (!outbound.readReceipts) expect(event.type).not.toBe('read');
        if (!outbound.asyncDeliveryStatus) expect(event.type).not.toBe('status');
      }
    });

    check('no webhook reaches the adapter unless it implements handleWebhook', async () => {
      if (session.adapter.handleWebhook) return;
      expect(session.relay.received).toEqual([]);
    });

    check('every event is plain JSON with an eventId', async () => {
      for (const context of session.contexts) expect(context.notPlainJson).toEqual([]);
      for (const event of events()) expect(event.eventId).toMatch(/\S/);
    });

    check('events that share an eventId are the same event', async () => {
      const byId = new Map<string, InboundEvent>();
      for (const event of events()) {
        const seen = byId.get(event.eventId);
        if (seen) expect(event).toEqual(seen);
        else byId.set(event.eventId, event);
      }
    });
  });
}

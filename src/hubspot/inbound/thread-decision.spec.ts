import type { ThreadingSettings } from '../threading/threading-settings';
import { boundedId, firstIntegrationThreadId, nextIntegrationThreadId } from './inbound-ids';
import { decideThread, type ThreadDecisionInput } from './thread-decision';

const ACCOUNT = '5d6c1d2e-0000-4000-8000-000000000001';
const HOUR = 60 * 60 * 1000;
const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

const continuous: ThreadingSettings = { mode: 'continuous', silenceHours: 24 };
const silence: ThreadingSettings = { mode: 'after-silence', silenceHours: 4 };
const ticketClosed: ThreadingSettings = { mode: 'after-ticket-closed', silenceHours: 24 };

const first = firstIntegrationThreadId(ACCOUNT, 'chat-1');

function input(overrides: Partial<ThreadDecisionInput> = {}): ThreadDecisionInput {
  return {
    settings: continuous,
    accountId: ACCOUNT,
    conversation: {
      externalId: 'chat-1',
      integrationThreadId: first,
      hubspotThreadId: '9000001',
      lastMessageAt: t0,
    },
    eventId: 'evt-2',
    messageAt: at(HOUR),
    ...overrides,
  };
}

describe('decideThread', () => {
  it('gives a new conversation its first thread id, the same for every event', () => {
    for (const settings of [continuous, silence, ticketClosed]) {
      const decision = decideThread(
        input({ settings, conversation: { externalId: 'chat-1' }, eventId: 'evt-1' }),
      );
      expect(decision).toEqual({
        integrationThreadId: first,
        startsNewThread: true,
        reason: 'first',
      });
      expect(decideThread(input({ settings, conversation: { externalId: 'chat-1' } }))).toEqual(
        decision,
      );
    }
    expect(first).toBe(`${ACCOUNT}:chat-1`);
  });

  it('continuous: keeps the thread after any silence and even when the thread is closed', () => {
    const decision = decideThread(input({ messageAt: at(1000 * HOUR), currentThreadClosed: true }));
    expect(decision).toEqual({
      integrationThreadId: first,
      startsNewThread: false,
      reason: 'current',
    });
  });

  it('after-silence: same thread below silenceHours, a new one from silenceHours on', () => {
    expect(decideThread(input({ settings: silence, messageAt: at(4 * HOUR - 1) }))).toMatchObject({
      integrationThreadId: first,
      startsNewThread: false,
    });
    const later = decideThread(input({ settings: silence, messageAt: at(4 * HOUR) }));
    expect(later).toEqual({
      integrationThreadId: nextIntegrationThreadId(ACCOUNT, 'chat-1', 'evt-2'),
      startsNewThread: true,
      reason: 'silence',
    });
    expect(later.integrationThreadId).not.toBe(first);
  });

  it('after-silence: a retried event finds the thread it started (no third thread)', () => {
    const started = decideThread(input({ settings: silence, messageAt: at(5 * HOUR) }));
    // The conversation was linked to the new thread, but the job failed before `touch`.
    const retried = decideThread(
      input({
        settings: silence,
        messageAt: at(5 * HOUR),
        conversation: {
          externalId: 'chat-1',
          integrationThreadId: started.integrationThreadId,
          hubspotThreadId: '9000002',
          lastMessageAt: t0,
        },
      }),
    );
    expect(retried).toEqual({
      integrationThreadId: started.integrationThreadId,
      startsNewThread: false,
      reason: 'current',
    });
    // A redelivery before anything was stored decides exactly the same as the first run.
    expect(decideThread(input({ settings: silence, messageAt: at(5 * HOUR) }))).toEqual(started);
    // Another event after another silence gets yet another thread.
    const third = decideThread(
      input({
        settings: silence,
        eventId: 'evt-3',
        messageAt: at(20 * HOUR),
        conversation: {
          externalId: 'chat-1',
          integrationThreadId: started.integrationThreadId,
          lastMessageAt: at(5 * HOUR),
        },
      }),
    );
    expect(third.startsNewThread).toBe(true);
    expect(third.integrationThreadId).not.toBe(started.integrationThreadId);
    expect(third.integrationThreadId).not.toBe(first);
  });

  it('after-silence: no last message time means no silence', () => {
    const decision = decideThread(
      input({
        settings: silence,
        conversation: { externalId: 'chat-1', integrationThreadId: first },
        messageAt: at(100 * HOUR),
      }),
    );
    expect(decision.startsNewThread).toBe(false);
  });

  it('after-ticket-closed: a new thread only when the current thread is closed', () => {
    expect(decideThread(input({ settings: ticketClosed, currentThreadClosed: false }))).toEqual({
      integrationThreadId: first,
      startsNewThread: false,
      reason: 'current',
    });
    const closed = decideThread(input({ settings: ticketClosed, currentThreadClosed: true }));
    expect(closed).toEqual({
      integrationThreadId: nextIntegrationThreadId(ACCOUNT, 'chat-1', 'evt-2'),
      startsNewThread: true,
      reason: 'closed',
    });
    // Retried after the conversation was linked to the new (open) thread: stays there.
    const retried = decideThread(
      input({
        settings: ticketClosed,
        currentThreadClosed: false,
        conversation: {
          externalId: 'chat-1',
          integrationThreadId: closed.integrationThreadId,
          hubspotThreadId: '9000003',
        },
      }),
    );
    expect(retried.integrationThreadId).toBe(closed.integrationThreadId);
    expect(retried.startsNewThread).toBe(false);
    // Not linked to a HubSpot thread yet (the first publish got no answer): nothing to close.
    const unlinked = decideThread(
      input({
        settings: ticketClosed,
        currentThreadClosed: true,
        conversation: { externalId: 'chat-1', integrationThreadId: first },
      }),
    );
    expect(unlinked.startsNewThread).toBe(false);
  });

  it('keeps thread ids bounded for very long platform ids', () => {
    const longId = 'x'.repeat(500);
    const id = firstIntegrationThreadId(ACCOUNT, longId);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(firstIntegrationThreadId(ACCOUNT, longId)).toBe(id);
    expect(firstIntegrationThreadId(ACCOUNT, `${longId}y`)).not.toBe(id);
    expect(nextIntegrationThreadId(ACCOUNT, longId, 'e').length).toBeLessThanOrEqual(113);
    expect(boundedId('short', 10)).toBe('short');
  });
});

/**
 * Which HubSpot thread a customer message goes to, by the account's threading setting. Pure:
 * everything it needs (the conversation's state, the thread's status) is looked up by the caller.
 */
import type { ThreadingSettings } from '../threading/threading-settings';
import { firstIntegrationThreadId, nextIntegrationThreadId } from './inbound-ids';

const HOUR_MS = 60 * 60 * 1000;

export interface ThreadDecisionInput {
  settings: ThreadingSettings;
  accountId: string;
  conversation: {
    externalId: string;
    integrationThreadId?: string;
    hubspotThreadId?: string;
    lastMessageAt?: Date;
  };
  eventId: string;
  /** When the message was written on the platform. */
  messageAt: Date;
  /** after-ticket-closed only: the current HubSpot thread is closed (or gone). */
  currentThreadClosed?: boolean;
}

export type ThreadDecisionReason = 'first' | 'current' | 'silence' | 'closed';

export interface ThreadDecision {
  integrationThreadId: string;
  /** True when the message starts a thread other than the conversation's current one. */
  startsNewThread: boolean;
  reason: ThreadDecisionReason;
}

export function decideThread(input: ThreadDecisionInput): ThreadDecision {
  const { accountId, conversation, eventId } = input;
  const current = conversation.integrationThreadId;
  if (current === undefined) {
    return {
      integrationThreadId: firstIntegrationThreadId(accountId, conversation.externalId),
      startsNewThread: true,
      reason: 'first',
    };
  }
  const reason = newThreadReason(input);
  if (reason) {
    const next = nextIntegrationThreadId(accountId, conversation.externalId, eventId);
    // A retried job finds the thread it already started: same event, same id, nothing new.
    if (next !== current) return { integrationThreadId: next, startsNewThread: true, reason };
  }
  return { integrationThreadId: current, startsNewThread: false, reason: 'current' };
}

function newThreadReason(input: ThreadDecisionInput): 'silence' | 'closed' | undefined {
  const { settings, conversation } = input;
  if (settings.mode === 'after-silence') {
    const last = conversation.lastMessageAt;
    if (!last) return undefined;
    const silentMs = input.messageAt.getTime() - last.getTime();
    return silentMs >= settings.silenceHours * HOUR_MS ? 'silence' : undefined;
  }
  if (settings.mode === 'after-ticket-closed') {
    return conversation.hubspotThreadId !== undefined && input.currentThreadClosed
      ? 'closed'
      : undefined;
  }
  return undefined;
}

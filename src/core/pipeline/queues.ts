import { createHash } from 'node:crypto';
import type { InboundEvent } from '../adapter';

/** Platform events on their way to HubSpot, one ordered lane per conversation. */
export const INBOUND_QUEUE = 'inbound';
/** Agents' replies on their way to a platform, one ordered lane per conversation. */
export const OUTBOUND_QUEUE = 'outbound';

/** What the inbound queue carries: a platform event and the account it came from. */
export interface InboundJob {
  adapterId: string;
  accountId: string;
  event: InboundEvent;
}

/** The source name under which an account's platform events are deduplicated. */
export function inboundEventSource(accountId: string): string {
  return `inbound:${accountId}`;
}

/**
 * The ordering key of an inbound event: its conversation, so that one customer's messages reach
 * HubSpot in order while other conversations proceed in parallel. Status updates are keyed by
 * the message they are about.
 */
export function inboundOrderingKey(accountId: string, event: InboundEvent): string {
  const lane =
    event.type === 'status'
      ? `status:${event.externalMessageId}`
      : `conv:${event.conversation.externalId}`;
  return boundedId(`${accountId}:${lane}`);
}

export function inboundJobId(accountId: string, event: InboundEvent): string {
  return boundedId(`in:${accountId}:${event.eventId}`);
}

/** Keeps ids within the queue's 255-character limit while staying unique. */
function boundedId(id: string): string {
  if (id.length <= 200) return id;
  return `${id.slice(0, 150)}#${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

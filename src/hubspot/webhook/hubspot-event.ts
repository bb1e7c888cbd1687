import { createHash } from 'node:crypto';

/** Source name of HubSpot webhooks in the processed-event table. */
export const WEBHOOK_EVENT_SOURCE = 'hubspot-webhook';
/** Account events (created, updated, purged), processed in order per channel account. */
export const HUBSPOT_EVENTS_QUEUE = 'hubspot-events';
/** Agent replies, handled by the outbound pipeline (src/hubspot/outbound), one lane per thread. */
export const HUBSPOT_OUTGOING_QUEUE = 'hubspot-outgoing';

export const ACCOUNT_EVENT_TYPES = [
  'CHANNEL_ACCOUNT_CREATED',
  'CHANNEL_ACCOUNT_UPDATED',
  'CHANNEL_ACCOUNT_PURGED',
] as const;
export type AccountEventType = (typeof ACCOUNT_EVENT_TYPES)[number];
export const OUTGOING_MESSAGE_EVENT = 'OUTGOING_CHANNEL_MESSAGE_CREATED';

type JsonObject = Record<string, unknown>;

/** CHANNEL_ACCOUNT_* (spec 7.3): only the ids are relied upon; the account is re-read. */
export interface AccountEvent {
  kind: 'account';
  type: AccountEventType;
  portalId: string;
  channelId: string;
  channelAccountId: string;
  dedupeKey: string;
  raw: JsonObject;
}

/** OUTGOING_CHANNEL_MESSAGE_CREATED (spec 7.2), kept as received for the outbound pipeline. */
export interface OutgoingMessageEvent {
  kind: 'outgoing-message';
  type: typeof OUTGOING_MESSAGE_EVENT;
  portalId: string;
  channelId: string;
  channelAccountId?: string;
  messageId: string;
  /** `message.conversationsThreadId`, else the first integration thread id, else the account. */
  conversationKey: string;
  dedupeKey: string;
  raw: JsonObject;
}

export interface UnknownEvent {
  kind: 'unknown';
  type: string;
  reason: string;
  raw: unknown;
}

export type HubSpotEvent = AccountEvent | OutgoingMessageEvent | UnknownEvent;

/** The job of the `hubspot-events` queue. */
export interface AccountEventJob {
  type: AccountEventType;
  portalId: string;
  channelId: string;
  channelAccountId: string;
  dedupeKey: string;
  receivedAt: string;
}

/** The job of the `hubspot-outgoing` queue: the event as HubSpot sent it. */
export interface OutgoingMessageJob {
  portalId: string;
  channelId: string;
  channelAccountId?: string;
  messageId: string;
  dedupeKey: string;
  receivedAt: string;
  event: JsonObject;
}

export class MalformedWebhookError extends Error {}

/** A body is one event object or an array of them (spec 7.1). Throws on invalid JSON. */
export function parseWebhookBody(body: Buffer, requestTimestamp: string): HubSpotEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedWebhookError('the body is not JSON');
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0) throw new MalformedWebhookError('the body is an empty array');
  return items.map((item) => parseEvent(item, requestTimestamp));
}

/**
 * One event. `requestTimestamp` stands in for an event timestamp in the dedupe key of account
 * events that carry neither `eventId` nor a timestamp of their own.
 */
export function parseEvent(item: unknown, requestTimestamp: string): HubSpotEvent {
  if (!isObject(item)) return unknown('?', 'not an object', item);
  const type = text(item.type);
  if (!type) return unknown('?', 'no type', item);
  const portalId = text(item.portalId);
  const channelId = text(item.channelId);
  if (!portalId || !channelId) return unknown(type, 'no portalId or channelId', item);
  const eventId = text(item.eventId);
  if (isAccountEventType(type)) {
    const channelAccountId = text(item.channelAccountId);
    if (!channelAccountId) return unknown(type, 'no channelAccountId', item);
    const when =
      text(item.eventTimestamp) ??
      text(item.occurredAt) ??
      text(item.timestamp) ??
      requestTimestamp;
    return {
      kind: 'account',
      type,
      portalId,
      channelId,
      channelAccountId,
      dedupeKey: eventId ?? `${type}:${channelAccountId}:${when}`,
      raw: item,
    };
  }
  if (type === OUTGOING_MESSAGE_EVENT) {
    const message = isObject(item.message) ? item.message : undefined;
    const messageId = text(message?.id);
    if (!message || !messageId) return unknown(type, 'no message.id', item);
    const channelAccountId = text(item.channelAccountId) ?? text(message.channelAccountId);
    const threadIds = Array.isArray(item.channelIntegrationThreadIds)
      ? item.channelIntegrationThreadIds.map(text).filter((id) => id !== undefined)
      : [];
    const conversationKey =
      text(message.conversationsThreadId) ?? threadIds[0] ?? channelAccountId ?? messageId;
    return {
      kind: 'outgoing-message',
      type,
      portalId,
      channelId,
      ...(channelAccountId !== undefined && { channelAccountId }),
      messageId,
      conversationKey,
      dedupeKey: eventId ?? `${type}:${messageId}`,
      raw: item,
    };
  }
  return unknown(type, 'unknown event type', item);
}

/** Queue job id of an event: stable per dedupe key, distinct per queue. */
export function jobIdFor(queue: string, dedupeKey: string): string {
  return `${queue}:${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40)}`;
}

export function isAccountEventType(type: string): type is AccountEventType {
  return (ACCOUNT_EVENT_TYPES as readonly string[]).includes(type);
}

function unknown(type: string, reason: string, raw: unknown): UnknownEvent {
  return { kind: 'unknown', type, reason, raw };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids arrive as strings or numbers (portalId was seen as both). */
function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

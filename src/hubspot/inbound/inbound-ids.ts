/**
 * Deterministic ids derived from platform events. The same event (a redelivery, a retried job)
 * always yields the same ids, so HubSpot and the local records recognise it.
 */
import { createHash } from 'node:crypto';

const DIGEST_CHARS = 32;

/** Keeps `id` within `max` characters; longer ids keep a prefix and get a digest of the whole. */
export function boundedId(id: string, max: number): string {
  if (id.length <= max) return id;
  const digest = createHash('sha256').update(id).digest('hex').slice(0, DIGEST_CHARS);
  return `${id.slice(0, max - DIGEST_CHARS - 1)}~${digest}`;
}

function shortDigest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

/** The local message record's idempotency key (unique across all messages and accounts). */
export function inboundMessageKey(accountId: string, eventId: string): string {
  return boundedId(`in:${accountId}:${eventId}`, 255);
}

/** HubSpot's dedupe key of the published message (spec 6.6). */
export function integrationIdempotencyIdOf(accountId: string, eventId: string): string {
  return boundedId(`${accountId}:${eventId}`, 128);
}

/** The integrationThreadId of a conversation's first thread. */
export function firstIntegrationThreadId(accountId: string, externalId: string): string {
  return boundedId(`${accountId}:${externalId}`, 100);
}

/**
 * The integrationThreadId of a thread started by one event (after silence or a closed ticket):
 * the first id plus a digest of the event id, so a retried job asks for the same thread.
 */
export function nextIntegrationThreadId(
  accountId: string,
  externalId: string,
  eventId: string,
): string {
  return `${firstIntegrationThreadId(accountId, externalId)}#${shortDigest(eventId)}`;
}

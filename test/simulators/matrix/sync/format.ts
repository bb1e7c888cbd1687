import type { ClientEvent, ReceiptRecord, RecordedEvent } from '../types';
import type { JsonObject } from '../util/json';

/** ClientEvent as served to one requester: `age`, and `transaction_id` for the sending device. */
export function clientEvent(r: RecordedEvent, scope: string | undefined, now: number): ClientEvent {
  const unsigned: JsonObject = {
    ...r.event.unsigned,
    age: Math.max(0, now - r.event.origin_server_ts),
  };
  if (r.txnId !== undefined && scope !== undefined && r.txnScope === scope) {
    unsigned.transaction_id = r.txnId;
  }
  return { ...r.event, unsigned };
}

/** Same without `room_id`, as inside `/sync` (ClientEventWithoutRoomID). */
export function syncEvent(r: RecordedEvent, scope: string | undefined, now: number): JsonObject {
  const { room_id: _omit, ...rest } = clientEvent(r, scope, now);
  return rest;
}

/** Stripped state event (invite_state). */
export function strippedEvent(r: RecordedEvent): JsonObject {
  const { type, state_key, sender, content } = r.event;
  return { type, state_key, sender, content };
}

/** One `m.receipt` EDU content for a set of receipts. */
export function receiptContent(receipts: ReceiptRecord[]): JsonObject {
  const content: Record<string, Record<string, Record<string, JsonObject>>> = {};
  for (const r of receipts) {
    const byType = (content[r.eventId] ??= {});
    const byUser = (byType[r.receiptType] ??= {});
    byUser[r.userId] = { ts: r.ts, ...(r.threadId !== undefined ? { thread_id: r.threadId } : {}) };
  }
  return content;
}

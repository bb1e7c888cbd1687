import type { Room } from '../state/room';
import type { SimStore } from '../state/store';
import type { JsonObject } from '../util/json';
import { allowsEvent, allowsRoom, type SyncFilter } from './filter';
import { receiptContent, strippedEvent, syncEvent } from './format';

const DEFAULT_TIMELINE_LIMIT = 10;
const INVITE_STATE_TYPES = new Set([
  'm.room.create',
  'm.room.join_rules',
  'm.room.name',
  'm.room.avatar',
  'm.room.topic',
  'm.room.canonical_alias',
  'm.room.encryption',
]);

export interface SyncRequest {
  userId: string;
  /** Transaction-id scope of the requesting device (for `unsigned.transaction_id`). */
  scope?: string;
  since?: number;
  filter: SyncFilter;
  fullState: boolean;
}

export interface SyncResult {
  body: JsonObject;
  empty: boolean;
}

/** Computes a `/sync` response for one user from the store at its current stream position. */
export function buildSync(store: SimStore, req: SyncRequest): SyncResult {
  const now = Date.now();
  const join: JsonObject = {};
  const invite: JsonObject = {};
  const leave: JsonObject = {};
  for (const room of store.rooms.values()) {
    if (room.forgotten.has(req.userId) || !allowsRoom(req.filter, room.roomId)) continue;
    const membership = room.membership(req.userId);
    const mpos = room.membershipPos(req.userId);
    const isNew = req.since === undefined || mpos > req.since;
    if (membership === 'join') {
      const section = joinedRoom(room, req, isNew, now);
      if (section) join[room.roomId] = section;
    } else if (membership === 'invite' && isNew) {
      invite[room.roomId] = { invite_state: { events: inviteState(room, req.userId) } };
    } else if ((membership === 'leave' || membership === 'ban') && mpos > 0) {
      const wanted = req.since === undefined ? req.filter.includeLeave : mpos > req.since;
      if (wanted) leave[room.roomId] = leftRoom(room, req, mpos, now);
    }
  }
  const accountData = [...store.getAccountData(req.userId).entries()]
    .filter(
      ([type, e]) =>
        (req.since === undefined || e.pos > req.since) && allowsEvent(req.filter.accountData, type),
    )
    .map(([type, e]) => ({ type, content: e.content }));
  const empty =
    Object.keys(join).length + Object.keys(invite).length + Object.keys(leave).length === 0 &&
    accountData.length === 0;
  return {
    empty,
    body: {
      next_batch: `s${store.pos}`,
      rooms: { join, invite, leave, knock: {} },
      presence: { events: [] },
      account_data: { events: accountData },
      to_device: { events: [] },
      device_lists: { changed: [], left: [] },
      device_one_time_keys_count: { signed_curve25519: 0 },
      device_unused_fallback_key_types: [],
    },
  };
}

function joinedRoom(
  room: Room,
  req: SyncRequest,
  isNew: boolean,
  now: number,
): JsonObject | undefined {
  const { filter, since, scope } = req;
  const candidates = room.events.filter(
    (r) =>
      (isNew || since === undefined || r.pos > since) &&
      allowsEvent(filter.timeline, r.event.type, r.event.sender),
  );
  const limit = filter.timeline.limit ?? DEFAULT_TIMELINE_LIMIT;
  const timeline = candidates.slice(Math.max(0, candidates.length - limit));
  const limited = candidates.length > timeline.length;
  const inTimeline = new Set(timeline.map((r) => r.event.event_id));
  const firstPos = timeline[0]?.pos ?? room.events[room.events.length - 1]?.pos ?? 0;
  const wantFullState = isNew || req.fullState;
  const state = [...room.state.values()].filter(
    (r) =>
      !inTimeline.has(r.event.event_id) &&
      allowsEvent(filter.state, r.event.type, r.event.sender) &&
      (wantFullState || (limited && since !== undefined && r.pos > since && r.pos < firstPos)),
  );
  const ephemeral = ephemeralEvents(room, req, isNew);
  const accountData = [...(room.accountData.get(req.userId) ?? new Map()).entries()]
    .filter(
      ([type, e]) =>
        (isNew || since === undefined || e.pos > since) &&
        allowsEvent(filter.roomAccountData, type),
    )
    .map(([type, e]) => ({ type, content: e.content }));
  const changes = timeline.length + state.length + ephemeral.length + accountData.length;
  if (!isNew && !req.fullState && changes === 0) {
    return undefined;
  }
  const members = room.members();
  return {
    summary: isNew
      ? {
          'm.heroes': room
            .joinedUserIds()
            .filter((u) => u !== req.userId)
            .slice(0, 5),
          'm.joined_member_count': members.filter((m) => m.event.content.membership === 'join')
            .length,
          'm.invited_member_count': members.filter((m) => m.event.content.membership === 'invite')
            .length,
        }
      : {},
    state: { events: state.map((r) => syncEvent(r, scope, now)) },
    timeline: {
      events: timeline.map((r) => syncEvent(r, scope, now)),
      limited,
      prev_batch: `s${Math.max(0, firstPos - 1)}`,
    },
    ephemeral: { events: ephemeral },
    account_data: { events: accountData },
    unread_notifications: { highlight_count: 0, notification_count: 0 },
  };
}

function ephemeralEvents(room: Room, req: SyncRequest, isNew: boolean): JsonObject[] {
  const out: JsonObject[] = [];
  const fresh = (pos: number): boolean => isNew || req.since === undefined || pos > req.since;
  if (allowsEvent(req.filter.ephemeral, 'm.receipt')) {
    const receipts = [...room.receipts.values()].filter(
      (r) => fresh(r.pos) && (r.receiptType !== 'm.read.private' || r.userId === req.userId),
    );
    if (receipts.length > 0) out.push({ type: 'm.receipt', content: receiptContent(receipts) });
  }
  if (
    allowsEvent(req.filter.ephemeral, 'm.typing') &&
    room.typingPos > 0 &&
    fresh(room.typingPos)
  ) {
    const nowMs = Date.now();
    const userIds = [...room.typing.entries()].filter(([, until]) => until > nowMs).map(([u]) => u);
    out.push({ type: 'm.typing', content: { user_ids: userIds } });
  }
  return out;
}

function inviteState(room: Room, userId: string): JsonObject[] {
  const invite = room.stateEvent('m.room.member', userId);
  const events = [...room.state.values()].filter((r) => INVITE_STATE_TYPES.has(r.event.type));
  const inviter = invite ? room.stateEvent('m.room.member', invite.event.sender) : undefined;
  return [...events, ...(inviter ? [inviter] : []), ...(invite ? [invite] : [])].map(strippedEvent);
}

function leftRoom(room: Room, req: SyncRequest, leavePos: number, now: number): JsonObject {
  const events = room.events.filter(
    (r) =>
      r.pos <= leavePos &&
      (req.since === undefined || r.pos > req.since) &&
      allowsEvent(req.filter.timeline, r.event.type, r.event.sender),
  );
  const limit = req.filter.timeline.limit ?? DEFAULT_TIMELINE_LIMIT;
  const timeline = events.slice(Math.max(0, events.length - limit));
  return {
    state: { events: [] },
    timeline: {
      events: timeline.map((r) => syncEvent(r, req.scope, now)),
      limited: events.length > timeline.length,
      prev_batch: `s${Math.max(0, (timeline[0]?.pos ?? leavePos) - 1)}`,
    },
    account_data: { events: [] },
  };
}

import { forbidden, MatrixError, notFound } from '../http/errors';
import type { EventValidator } from '../spec/event-validator';
import type { EventSource, ReceiptRecord, RecordedEvent } from '../types';
import { newEventId, newRoomId } from '../util/ids';
import type { JsonObject } from '../util/json';
import { Room } from './room';
import type { SimStore } from './store';

export interface AppendInput {
  sender: string;
  type: string;
  content: JsonObject;
  stateKey?: string;
  redacts?: string;
  source: EventSource;
  txnId?: string;
  txnScope?: string;
  ts?: number;
}

export interface CreateRoomInput {
  creator: string;
  name?: string;
  topic?: string;
  preset?: 'private_chat' | 'public_chat' | 'trusted_private_chat';
  isDirect?: boolean;
  invite?: string[];
  encrypted?: boolean;
  aliasLocalpart?: string;
  initialState?: { type: string; state_key?: string; content: JsonObject }[];
  source: EventSource;
}

const MAX_EVENT_BYTES = 65536;

/** Room operations with the homeserver's permission rules; used by client and control routes. */
export class RoomService {
  constructor(
    private readonly store: SimStore,
    private readonly validator: EventValidator,
  ) {}

  get(roomId: string): Room {
    const room = this.store.rooms.get(roomId);
    if (!room) throw notFound(`Unknown room ${roomId}`);
    return room;
  }

  resolve(roomIdOrAlias: string): Room {
    if (roomIdOrAlias.startsWith('#')) {
      const id = this.store.aliases.get(roomIdOrAlias);
      if (!id) throw notFound(`Room alias ${roomIdOrAlias} not found`);
      return this.get(id);
    }
    return this.get(roomIdOrAlias);
  }

  append(room: Room, input: AppendInput): RecordedEvent {
    const event = {
      event_id: newEventId(),
      room_id: room.roomId,
      sender: input.sender,
      type: input.type,
      content: input.content,
      origin_server_ts: input.ts ?? Date.now(),
      ...(input.stateKey !== undefined ? { state_key: input.stateKey } : {}),
      ...(input.redacts !== undefined ? { redacts: input.redacts } : {}),
    };
    if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) {
      throw new MatrixError(413, 'M_TOO_LARGE', 'Event is larger than 65536 bytes');
    }
    const recorded: RecordedEvent = {
      event,
      pos: this.store.nextPos(),
      source: input.source,
      ...(input.txnId !== undefined ? { txnId: input.txnId, txnScope: input.txnScope } : {}),
    };
    if (input.stateKey !== undefined) {
      const previous = room.stateEvent(input.type, input.stateKey);
      if (previous) recorded.event.unsigned = { prev_content: previous.event.content };
    }
    room.add(recorded);
    this.store.recordEvent(recorded);
    return recorded;
  }

  createRoom(input: CreateRoomInput): Room {
    const { creator, source } = input;
    const room = new Room(newRoomId(this.store.serverName), creator, input.isDirect === true);
    this.store.rooms.set(room.roomId, room);
    const state = (type: string, content: JsonObject, stateKey = ''): void => {
      this.append(room, { sender: creator, type, content, stateKey, source });
    };
    state('m.room.create', { room_version: '11', creator });
    state('m.room.member', this.memberContent(creator, 'join'), creator);
    const preset = input.preset ?? (input.isDirect ? 'trusted_private_chat' : 'private_chat');
    const users: JsonObject = { [creator]: 100 };
    if (preset === 'trusted_private_chat') for (const u of input.invite ?? []) users[u] = 100;
    state('m.room.power_levels', {
      users,
      users_default: 0,
      events_default: 0,
      state_default: 50,
      ban: 50,
      kick: 50,
      redact: 50,
      invite: 0,
    });
    state('m.room.join_rules', { join_rule: preset === 'public_chat' ? 'public' : 'invite' });
    state('m.room.history_visibility', { history_visibility: 'shared' });
    if (input.aliasLocalpart) {
      const alias = `#${input.aliasLocalpart}:${this.store.serverName}`;
      if (this.store.aliases.has(alias)) {
        throw new MatrixError(400, 'M_ROOM_IN_USE', `Alias ${alias} already exists`);
      }
      this.store.aliases.set(alias, room.roomId);
      room.aliases.add(alias);
      state('m.room.canonical_alias', { alias });
    }
    for (const s of input.initialState ?? []) {
      this.validator.validate(s.type, s.content, s.state_key ?? '');
      state(s.type, s.content, s.state_key ?? '');
    }
    if (input.name !== undefined) state('m.room.name', { name: input.name });
    if (input.topic !== undefined) state('m.room.topic', { topic: input.topic });
    if (input.encrypted) state('m.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' });
    for (const target of input.invite ?? [])
      this.invite(room, creator, target, source, input.isDirect);
    return room;
  }

  memberContent(userId: string, membership: string, extra: JsonObject = {}): JsonObject {
    const user = this.store.users.get(userId);
    return {
      membership,
      ...(user?.displayName !== undefined && membership === 'join'
        ? { displayname: user.displayName }
        : {}),
      ...(user?.avatarUrl !== undefined && membership === 'join'
        ? { avatar_url: user.avatarUrl }
        : {}),
      ...extra,
    };
  }

  join(room: Room, userId: string, source: EventSource): RecordedEvent | undefined {
    const current = room.membership(userId);
    if (current === 'ban') throw forbidden(`${userId} is banned from ${room.roomId}`);
    if (current === 'join') return undefined;
    if (current !== 'invite' && room.joinRule() !== 'public') {
      throw forbidden(`You are not invited to ${room.roomId}`);
    }
    room.forgotten.delete(userId);
    return this.setMembership(room, userId, userId, 'join', source);
  }

  leave(room: Room, userId: string, source: EventSource, reason?: string): RecordedEvent {
    const current = room.membership(userId);
    if (current !== 'join' && current !== 'invite' && current !== 'knock') {
      throw forbidden(`User ${userId} is not in room ${room.roomId}`);
    }
    return this.setMembership(room, userId, userId, 'leave', source, reason);
  }

  invite(
    room: Room,
    sender: string,
    target: string,
    source: EventSource,
    isDirect?: boolean,
  ): void {
    this.requireJoined(room, sender);
    this.requireLevel(room, sender, 'invite');
    const current = room.membership(target);
    if (current === 'ban') throw forbidden(`${target} is banned from the room`);
    if (current === 'join') throw forbidden(`${target} is already in the room`);
    if (current === 'invite') return;
    room.forgotten.delete(target);
    const extra: JsonObject = isDirect ? { is_direct: true } : {};
    this.setMembership(room, sender, target, 'invite', source, undefined, extra);
  }

  kick(room: Room, sender: string, target: string, source: EventSource, reason?: string): void {
    this.requireJoined(room, sender);
    this.requireLevel(room, sender, 'kick');
    const current = room.membership(target);
    if (current !== 'join' && current !== 'invite' && current !== 'knock') {
      throw forbidden(`${target} is not in the room`);
    }
    this.setMembership(room, sender, target, 'leave', source, reason);
  }

  ban(room: Room, sender: string, target: string, source: EventSource, reason?: string): void {
    this.requireJoined(room, sender);
    this.requireLevel(room, sender, 'ban');
    this.setMembership(room, sender, target, 'ban', source, reason);
  }

  unban(room: Room, sender: string, target: string, source: EventSource): void {
    this.requireJoined(room, sender);
    this.requireLevel(room, sender, 'ban');
    if (room.membership(target) !== 'ban') throw forbidden(`${target} is not banned`);
    this.setMembership(room, sender, target, 'leave', source);
  }

  forget(room: Room, userId: string): void {
    const current = room.membership(userId);
    if (current === 'join' || current === 'invite') {
      throw new MatrixError(400, 'M_UNKNOWN', 'User is still in the room: leave it first');
    }
    room.forgotten.add(userId);
    this.store.changed();
  }

  private setMembership(
    room: Room,
    sender: string,
    target: string,
    membership: string,
    source: EventSource,
    reason?: string,
    extra: JsonObject = {},
  ): RecordedEvent {
    const content = this.memberContent(target, membership, {
      ...extra,
      ...(reason !== undefined ? { reason } : {}),
    });
    return this.append(room, { sender, type: 'm.room.member', content, stateKey: target, source });
  }

  requireJoined(room: Room, userId: string): void {
    const m = room.membership(userId);
    if (m === 'join') return;
    const why = m === 'ban' ? 'banned from' : m === 'leave' ? 'no longer in' : 'not in';
    throw forbidden(`User ${userId} is ${why} room ${room.roomId}`);
  }

  requireLevel(room: Room, userId: string, action: Parameters<Room['requiredLevel']>[0]): void {
    const need = room.requiredLevel(action);
    if (room.powerLevel(userId) < need) {
      const what = typeof action === 'string' ? action : action.event;
      throw forbidden(`${userId} lacks power level ${need} for ${what} in ${room.roomId}`);
    }
  }

  /** A message or state event sent by a member (client or control), validated against the spec. */
  send(room: Room, input: AppendInput): RecordedEvent {
    this.requireJoined(room, input.sender);
    this.validator.validate(input.type, input.content, input.stateKey);
    if (input.type === 'm.room.member') {
      // Only a member's own profile update (same membership) goes through PUT state here.
      const own = input.stateKey === input.sender;
      if (!own || input.content.membership !== room.membership(input.sender)) {
        throw forbidden(
          'Use the membership endpoints (join/invite/leave/kick/ban) to change membership',
        );
      }
      return this.append(room, input);
    }
    const state = input.stateKey !== undefined;
    this.requireLevel(room, input.sender, { event: input.type, state });
    return this.append(room, input);
  }

  redact(room: Room, input: AppendInput & { redacts: string }): RecordedEvent {
    this.requireJoined(room, input.sender);
    const target = room.findEvent(input.redacts);
    if (!target) throw notFound(`Unknown event ${input.redacts}`);
    if (target.event.sender !== input.sender) this.requireLevel(room, input.sender, 'redact');
    const recorded = this.append(room, {
      ...input,
      type: 'm.room.redaction',
      content: { ...input.content, redacts: input.redacts },
    });
    target.event.content = {};
    target.event.unsigned = { ...target.event.unsigned, redacted_because: recorded.event };
    return recorded;
  }

  receipt(
    room: Room,
    userId: string,
    receiptType: string,
    eventId: string,
    threadId?: string,
  ): ReceiptRecord {
    this.requireJoined(room, userId);
    if (!room.findEvent(eventId)) throw notFound(`Unknown event ${eventId} in ${room.roomId}`);
    const record: ReceiptRecord = {
      roomId: room.roomId,
      userId,
      eventId,
      receiptType,
      ts: Date.now(),
      pos: this.store.nextPos(),
      ...(threadId !== undefined ? { threadId } : {}),
    };
    room.receipts.set(`${userId}|${receiptType}|${threadId ?? ''}`, record);
    this.store.emit('receipt', record);
    this.store.changed();
    return record;
  }

  setAccountData(room: Room, userId: string, type: string, content: JsonObject): void {
    const perUser =
      room.accountData.get(userId) ?? new Map<string, { content: JsonObject; pos: number }>();
    room.accountData.set(userId, perUser);
    perUser.set(type, { content, pos: this.store.nextPos() });
    this.store.changed();
  }

  setTyping(room: Room, userId: string, typing: boolean, timeoutMs = 30000): void {
    this.requireJoined(room, userId);
    if (typing) room.typing.set(userId, Date.now() + timeoutMs);
    else room.typing.delete(userId);
    room.typingPos = this.store.nextPos();
    this.store.emit('typing', room);
    this.store.changed();
  }
}

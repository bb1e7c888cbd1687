import type { ReceiptRecord, RecordedEvent } from '../types';
import { asRecord, asString, type JsonObject } from '../util/json';

const stateKeyOf = (type: string, stateKey: string): string => `${type}\u0000${stateKey}`;

/** One room: its timeline, current state, receipts and typing users. */
export class Room {
  readonly events: RecordedEvent[] = [];
  readonly state = new Map<string, RecordedEvent>();
  readonly receipts = new Map<string, ReceiptRecord>();
  readonly typing = new Map<string, number>();
  typingPos = 0;
  readonly forgotten = new Set<string>();
  readonly aliases = new Set<string>();
  /** Per-user room account data (`m.fully_read`, tags, ...): userId -> type -> entry. */
  readonly accountData = new Map<string, Map<string, { content: JsonObject; pos: number }>>();

  constructor(
    readonly roomId: string,
    readonly creator: string,
    readonly isDirect: boolean,
  ) {}

  add(recorded: RecordedEvent): void {
    this.events.push(recorded);
    const { state_key: key, type } = recorded.event;
    if (key !== undefined) this.state.set(stateKeyOf(type, key), recorded);
  }

  stateEvent(type: string, stateKey = ''): RecordedEvent | undefined {
    return this.state.get(stateKeyOf(type, stateKey));
  }

  membership(userId: string): string | undefined {
    return asString(this.stateEvent('m.room.member', userId)?.event.content.membership);
  }

  /** Stream position of the user's current membership event (0 when none). */
  membershipPos(userId: string): number {
    return this.stateEvent('m.room.member', userId)?.pos ?? 0;
  }

  members(membership?: string): RecordedEvent[] {
    return [...this.state.values()].filter(
      (r) =>
        r.event.type === 'm.room.member' &&
        (membership === undefined || r.event.content.membership === membership),
    );
  }

  joinedUserIds(): string[] {
    return this.members('join').map((r) => r.event.state_key ?? '');
  }

  joinRule(): string {
    return asString(this.stateEvent('m.room.join_rules')?.event.content.join_rule) ?? 'invite';
  }

  get encrypted(): boolean {
    return this.stateEvent('m.room.encryption') !== undefined;
  }

  powerLevel(userId: string): number {
    const pl = asRecord(this.stateEvent('m.room.power_levels')?.event.content);
    const users = asRecord(pl.users);
    const own = users[userId];
    if (typeof own === 'number') return own;
    return typeof pl.users_default === 'number' ? pl.users_default : 0;
  }

  /** Level required for `kick`, `ban`, `invite`, `redact`, or sending the given event type. */
  requiredLevel(
    action: 'kick' | 'ban' | 'invite' | 'redact' | { event: string; state: boolean },
  ): number {
    const pl = asRecord(this.stateEvent('m.room.power_levels')?.event.content);
    if (typeof action === 'string') {
      const v = pl[action];
      return typeof v === 'number' ? v : action === 'invite' ? 0 : 50;
    }
    const perEvent = asRecord(pl.events)[action.event];
    if (typeof perEvent === 'number') return perEvent;
    const key = action.state ? 'state_default' : 'events_default';
    const v = pl[key];
    return typeof v === 'number' ? v : action.state ? 50 : 0;
  }

  findEvent(eventId: string): RecordedEvent | undefined {
    return this.events.find((r) => r.event.event_id === eventId);
  }
}

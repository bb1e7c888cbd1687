import { asRecord, asStringArray, type JsonObject } from '../util/json';

export interface EventFilter {
  types?: string[];
  notTypes?: string[];
  senders?: string[];
  notSenders?: string[];
  limit?: number;
}

export interface SyncFilter {
  rooms?: string[];
  notRooms?: string[];
  includeLeave: boolean;
  timeline: EventFilter;
  state: EventFilter;
  ephemeral: EventFilter;
  accountData: EventFilter;
  roomAccountData: EventFilter;
  presence: EventFilter;
}

function eventFilter(raw: unknown): EventFilter {
  const r = asRecord(raw);
  return {
    types: asStringArray(r.types),
    notTypes: asStringArray(r.not_types),
    senders: asStringArray(r.senders),
    notSenders: asStringArray(r.not_senders),
    limit: typeof r.limit === 'number' ? r.limit : undefined,
  };
}

/** Parses a spec `Filter` object (already schema-validated). `lazy_load_members` is ignored. */
export function parseFilter(raw: JsonObject): SyncFilter {
  const room = asRecord(raw.room);
  return {
    rooms: asStringArray(room.rooms),
    notRooms: asStringArray(room.not_rooms),
    includeLeave: room.include_leave === true,
    timeline: eventFilter(room.timeline),
    state: eventFilter(room.state),
    ephemeral: eventFilter(room.ephemeral),
    accountData: eventFilter(raw.account_data),
    roomAccountData: eventFilter(room.account_data),
    presence: eventFilter(raw.presence),
  };
}

export const EMPTY_FILTER: SyncFilter = parseFilter({});

/** `*` is a wildcard, as the spec allows in `types`/`not_types`. */
function typeMatches(pattern: string, type: string): boolean {
  if (!pattern.includes('*')) return pattern === type;
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  return re.test(type);
}

export function allowsEvent(f: EventFilter, type: string, sender?: string): boolean {
  if (f.notTypes?.some((p) => typeMatches(p, type))) return false;
  if (f.types && !f.types.some((p) => typeMatches(p, type))) return false;
  if (sender !== undefined) {
    if (f.notSenders?.includes(sender)) return false;
    if (f.senders && !f.senders.includes(sender)) return false;
  }
  return true;
}

export function allowsRoom(f: SyncFilter, roomId: string): boolean {
  if (f.notRooms?.includes(roomId)) return false;
  return !f.rooms || f.rooms.includes(roomId);
}

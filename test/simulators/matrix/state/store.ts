import { EventEmitter } from 'node:events';
import type { CreatedUser, CreateUserInput, MediaRecord, RecordedEvent } from '../types';
import { newDeviceId, newToken, toUserId } from '../util/ids';
import type { JsonObject } from '../util/json';
import type { Room } from './room';

export interface SimUser {
  userId: string;
  displayName?: string;
  avatarUrl?: string;
  password?: string;
  /** Set for users registered by (or belonging to) an application service. */
  appserviceId?: string;
  devices: Set<string>;
}

export interface Session {
  token: string;
  userId: string;
  deviceId: string;
}

export interface AccountDataEntry {
  content: JsonObject;
  pos: number;
}

/**
 * All homeserver state, in memory. `pos` is the single stream position; every change that a
 * sync could report bumps it and emits `change` (long-polling syncs wait on it).
 */
export class SimStore extends EventEmitter {
  pos = 0;
  readonly users = new Map<string, SimUser>();
  readonly sessions = new Map<string, Session>();
  readonly rooms = new Map<string, Room>();
  readonly aliases = new Map<string, string>();
  readonly media = new Map<string, MediaRecord>();
  readonly filters = new Map<string, JsonObject>();
  readonly accountData = new Map<string, Map<string, AccountDataEntry>>();
  /** Transaction-id responses, keyed by scope + endpoint. */
  readonly txns = new Map<string, JsonObject>();

  constructor(readonly serverName: string) {
    super();
    this.setMaxListeners(0);
  }

  nextPos(): number {
    this.pos += 1;
    return this.pos;
  }

  /** Signals that something a sync could report has changed. */
  changed(): void {
    this.emit('change');
  }

  recordEvent(recorded: RecordedEvent): void {
    this.emit('event', recorded);
    this.changed();
  }

  userId(userOrLocalpart: string): string {
    return toUserId(userOrLocalpart, this.serverName);
  }

  createUser(input: CreateUserInput, appserviceId?: string): CreatedUser {
    const userId = this.userId(input.user);
    const existing = this.users.get(userId);
    const user: SimUser = existing ?? { userId, devices: new Set(), appserviceId };
    if (input.displayName !== undefined) user.displayName = input.displayName;
    if (input.password !== undefined) user.password = input.password;
    this.users.set(userId, user);
    const session = this.createSession(userId, input.deviceId, input.accessToken);
    return { userId, accessToken: session.token, deviceId: session.deviceId };
  }

  createSession(userId: string, deviceId?: string, token?: string): Session {
    const session: Session = {
      token: token ?? newToken('syt'),
      userId,
      deviceId: deviceId ?? newDeviceId(),
    };
    this.users.get(userId)?.devices.add(session.deviceId);
    this.sessions.set(session.token, session);
    return session;
  }

  getAccountData(userId: string): Map<string, AccountDataEntry> {
    let map = this.accountData.get(userId);
    if (!map) {
      map = new Map();
      this.accountData.set(userId, map);
    }
    return map;
  }

  setAccountData(userId: string, type: string, content: JsonObject): void {
    this.getAccountData(userId).set(type, { content, pos: this.nextPos() });
    this.changed();
  }

  mediaKey(serverName: string, mediaId: string): string {
    return `${serverName}/${mediaId}`;
  }
}

import { registerAppservice } from '../appservice/register';
import type { SimCore } from '../core';
import { MatrixError } from '../http/errors';
import type { MediaRepo } from '../state/media';
import type { Room } from '../state/room';
import type {
  AppserviceRegistration,
  CreatedUser,
  CreateUserInput,
  FaultRule,
  MediaRecord,
  RateLimitConfig,
  ReceiptRecord,
  RecordedEvent,
  RequestLogEntry,
  TransactionRecord,
} from '../types';
import type { JsonObject } from '../util/json';

export interface CreateRoomOptions {
  /** Creator (localpart or user id); joins with power level 100. */
  creator: string;
  name?: string;
  topic?: string;
  /** Direct chat: invites carry `is_direct`, preset trusted_private_chat. */
  isDirect?: boolean;
  preset?: 'private_chat' | 'public_chat' | 'trusted_private_chat';
  invite?: string[];
  /** Users that join right away (they are invited first when needed). */
  join?: string[];
  /** Adds `m.room.encryption` (megolm) state. */
  encrypted?: boolean;
  /** Alias localpart -> `#<alias>:<server>`. */
  alias?: string;
}

export interface RoomSummary {
  roomId: string;
  creator: string;
  isDirect: boolean;
  encrypted: boolean;
  aliases: string[];
  members: Record<string, string>;
  forgottenBy: string[];
}

export interface EventQuery {
  sender?: string;
  type?: string;
  source?: RecordedEvent['source'];
}

/** What the control API and the typed helpers do; one implementation for both. */
export class SimController {
  constructor(
    protected readonly core: SimCore,
    private readonly media: MediaRepo,
  ) {}

  private uid(user: string): string {
    return this.core.store.userId(user);
  }

  private room(roomId: string): Room {
    return this.core.rooms.get(roomId);
  }

  createUser(input: CreateUserInput): CreatedUser {
    return this.core.store.createUser(input);
  }

  users(): { userId: string; displayName?: string; appserviceId?: string }[] {
    return [...this.core.store.users.values()].map(({ userId, displayName, appserviceId }) => ({
      userId,
      displayName,
      appserviceId,
    }));
  }

  createRoom(o: CreateRoomOptions): { roomId: string } {
    const creator = this.uid(o.creator);
    if (!this.core.store.users.has(creator))
      throw new MatrixError(404, 'M_NOT_FOUND', `Unknown user ${creator}`);
    const room = this.core.rooms.createRoom({
      creator,
      name: o.name,
      topic: o.topic,
      preset: o.preset,
      isDirect: o.isDirect,
      invite: (o.invite ?? []).map((u) => this.uid(u)),
      encrypted: o.encrypted,
      aliasLocalpart: o.alias,
      source: 'control',
    });
    for (const u of o.join ?? []) this.join(room.roomId, u);
    return { roomId: room.roomId };
  }

  invite(roomId: string, sender: string, user: string): void {
    this.core.rooms.invite(
      this.room(roomId),
      this.uid(sender),
      this.uid(user),
      'control',
      this.room(roomId).isDirect,
    );
  }

  join(roomId: string, user: string): void {
    const room = this.room(roomId);
    const userId = this.uid(user);
    if (room.membership(userId) !== 'invite' && room.joinRule() !== 'public') {
      this.core.rooms.invite(room, room.creator, userId, 'control');
    }
    this.core.rooms.join(room, userId, 'control');
  }

  leave(roomId: string, user: string): void {
    this.core.rooms.leave(this.room(roomId), this.uid(user), 'control');
  }

  kick(roomId: string, sender: string, user: string, reason?: string): void {
    this.core.rooms.kick(this.room(roomId), this.uid(sender), this.uid(user), 'control', reason);
  }

  ban(roomId: string, sender: string, user: string, reason?: string): void {
    this.core.rooms.ban(this.room(roomId), this.uid(sender), this.uid(user), 'control', reason);
  }

  unban(roomId: string, sender: string, user: string): void {
    this.core.rooms.unban(this.room(roomId), this.uid(sender), this.uid(user), 'control');
  }

  forget(roomId: string, user: string): void {
    this.core.rooms.forget(this.room(roomId), this.uid(user));
  }

  enableEncryption(roomId: string, sender: string): RecordedEvent {
    return this.sendState(roomId, sender, 'm.room.encryption', '', {
      algorithm: 'm.megolm.v1.aes-sha2',
    });
  }

  /** Sends an event as `sender` (validated against the event schemas like a client send). */
  sendEvent(roomId: string, sender: string, type: string, content: JsonObject): RecordedEvent {
    return this.core.rooms.send(this.room(roomId), {
      sender: this.uid(sender),
      type,
      content,
      source: 'control',
    });
  }

  sendState(
    roomId: string,
    sender: string,
    type: string,
    stateKey: string,
    content: JsonObject,
  ): RecordedEvent {
    return this.core.rooms.send(this.room(roomId), {
      sender: this.uid(sender),
      type,
      content,
      stateKey,
      source: 'control',
    });
  }

  sendReceipt(
    roomId: string,
    user: string,
    eventId: string,
    receiptType = 'm.read',
    threadId?: string,
  ): ReceiptRecord {
    return this.core.rooms.receipt(
      this.room(roomId),
      this.uid(user),
      receiptType,
      eventId,
      threadId,
    );
  }

  setTyping(roomId: string, user: string, typing: boolean, timeoutMs?: number): void {
    this.core.rooms.setTyping(this.room(roomId), this.uid(user), typing, timeoutMs);
  }

  uploadMedia(
    uploader: string,
    bytes: Buffer,
    contentType?: string,
    filename?: string,
  ): MediaRecord {
    return this.media.create(this.uid(uploader), contentType, filename, bytes);
  }

  mediaList(): MediaRecord[] {
    return [...this.core.store.media.values()];
  }

  mediaByUri(uri: string): MediaRecord | undefined {
    return this.media.byUri(uri);
  }

  rooms(): RoomSummary[] {
    return [...this.core.store.rooms.values()].map((r) => this.summary(r));
  }

  roomSummary(roomId: string): RoomSummary {
    return this.summary(this.room(roomId));
  }

  private summary(r: Room): RoomSummary {
    const members: Record<string, string> = {};
    for (const m of r.members())
      members[m.event.state_key ?? ''] = String(m.event.content.membership);
    return {
      roomId: r.roomId,
      creator: r.creator,
      isDirect: r.isDirect,
      encrypted: r.encrypted,
      aliases: [...r.aliases],
      members,
      forgottenBy: [...r.forgotten],
    };
  }

  events(roomId: string, q: EventQuery = {}): RecordedEvent[] {
    const sender = q.sender !== undefined ? this.uid(q.sender) : undefined;
    return this.room(roomId).events.filter(
      (e) =>
        (sender === undefined || e.event.sender === sender) &&
        (q.type === undefined || e.event.type === q.type) &&
        (q.source === undefined || e.source === q.source),
    );
  }

  receipts(roomId: string): ReceiptRecord[] {
    return [...this.room(roomId).receipts.values()];
  }

  registerAppservice(reg: AppserviceRegistration | JsonObject): AppserviceRegistration {
    return registerAppservice(this.core, reg);
  }

  removeAppservice(id: string): boolean {
    return this.core.appservices.remove(id);
  }

  appservices(): AppserviceRegistration[] {
    return this.core.appservices.all();
  }

  transactions(appserviceId?: string): TransactionRecord[] {
    return this.core.pusher.transactions.filter(
      (t) => appserviceId === undefined || t.appserviceId === appserviceId,
    );
  }

  requests(filter: { path?: string; method?: string } = {}): RequestLogEntry[] {
    const re = filter.path !== undefined ? new RegExp(filter.path) : undefined;
    return this.core.requestLog.filter(
      (e) =>
        (!re || re.test(e.path)) && (!filter.method || e.method === filter.method.toUpperCase()),
    );
  }

  clearRequests(): void {
    this.core.requestLog.length = 0;
  }

  rateLimit(patch?: Partial<RateLimitConfig>): RateLimitConfig {
    return patch ? this.core.rateLimiter.configure(patch) : this.core.rateLimiter.config;
  }

  addFault(rule: FaultRule): FaultRule {
    return this.core.faults.add(rule);
  }

  faults(): FaultRule[] {
    return this.core.faults.list();
  }

  removeFault(id: string): boolean {
    return this.core.faults.remove(id);
  }

  clearFaults(): void {
    this.core.faults.clear();
  }
}

import { randomBytes } from 'node:crypto';
import type {
  AccessToken,
  Association,
  AuthorizationCode,
  Channel,
  ChannelAccount,
  Contact,
  Inbox,
  Message,
  Owner,
  Portal,
  RefreshToken,
  RequestLogEntry,
  StagingToken,
  StoredFile,
  Team,
  Thread,
  Ticket,
  WebhookDelivery,
} from './types';

/** Everything the simulator records, in memory. Ids are numeric strings like HubSpot's. */
export class SimState {
  private counters = new Map<string, number>();

  portals = new Map<string, Portal>();
  inboxes = new Map<string, Inbox>();
  owners = new Map<string, Owner>();
  teams = new Map<string, Team>();
  contacts = new Map<string, Contact>();
  codes = new Map<string, AuthorizationCode>();
  accessTokens = new Map<string, AccessToken>();
  refreshTokens = new Map<string, RefreshToken>();
  channels = new Map<string, Channel>();
  channelAccounts = new Map<string, ChannelAccount>();
  stagingTokens = new Map<string, StagingToken>();
  threads = new Map<string, Thread>();
  messages = new Map<string, Message>();
  files = new Map<string, StoredFile>();
  tickets = new Map<string, Ticket>();
  associations: Association[] = [];
  webhooks: WebhookDelivery[] = [];
  requests: RequestLogEntry[] = [];
  /** (channelId|accountId|integrationIdempotencyId) -> message id. */
  idempotency = new Map<string, string>();
  /** Threading keys (account|kind|key) -> thread id of the latest thread with that key. */
  threadKeys = new Map<string, string>();
  private readonly publishedListeners = new Set<(message: Message) => void>();

  /**
   * Calls `listener` synchronously each time a message the integration published is stored (not
   * for idempotent replays), so that a benchmark in the same process can time deliveries without
   * polling. Returns a function that removes the listener.
   */
  onMessagePublished(listener: (message: Message) => void): () => void {
    this.publishedListeners.add(listener);
    return () => this.publishedListeners.delete(listener);
  }

  /** Stores a message the integration published and tells the listeners. */
  storePublished(message: Message): void {
    this.messages.set(message.id, message);
    for (const listener of this.publishedListeners) listener(message);
  }

  /** Next id of a kind; each kind starts at its own base so ids are easy to tell apart. */
  nextId(kind: string, base: number): string {
    const n = (this.counters.get(kind) ?? base) + 1;
    this.counters.set(kind, n);
    return String(n);
  }

  static randomToken(prefix: string, bytes = 24): string {
    return `${prefix}${randomBytes(bytes).toString('hex')}`;
  }

  ownersOf(portalId: string): Owner[] {
    return [...this.owners.values()].filter((o) => o.portalId === portalId);
  }

  associate(a: Omit<Association, 'typeIds'>, typeId: number, category = 'HUBSPOT_DEFINED'): void {
    let existing = this.associations.find(
      (x) =>
        x.portalId === a.portalId &&
        x.fromType === a.fromType &&
        x.fromId === a.fromId &&
        x.toType === a.toType &&
        x.toId === a.toId,
    );
    if (!existing) {
      existing = { ...a, typeIds: [] };
      this.associations.push(existing);
    }
    if (!existing.typeIds.some((t) => t.typeId === typeId && t.category === category)) {
      existing.typeIds.push({ category, typeId });
    }
  }

  /** Plain-JSON view of everything recorded (files without their disk paths). */
  snapshot(): Record<string, unknown> {
    const values = <T>(m: Map<string, T>): T[] => [...m.values()];
    return {
      portals: values(this.portals),
      inboxes: values(this.inboxes),
      owners: values(this.owners),
      teams: values(this.teams),
      contacts: values(this.contacts),
      channels: values(this.channels),
      channelAccounts: values(this.channelAccounts),
      stagingTokens: values(this.stagingTokens),
      threads: values(this.threads),
      messages: values(this.messages),
      files: values(this.files).map(({ diskPath: _d, ...f }) => f),
      tickets: values(this.tickets),
      associations: this.associations,
      webhooks: this.webhooks,
      requests: this.requests,
      accessTokens: values(this.accessTokens),
      refreshTokens: values(this.refreshTokens),
    };
  }
}

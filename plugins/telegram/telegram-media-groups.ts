/**
 * Albums: Telegram delivers each item of a media group as its own update. Items are kept in the
 * account state (so an acknowledged webhook or an advanced poll offset loses nothing) until no
 * new item came for `waitMs`; then ONE event with all attachments is emitted.
 *
 * Items of one album may reach different gateway processes (webhooks behind a load balancer), so
 * the state is changed only with `state.update` (atomic across processes) and the quiet period
 * is judged from the items' arrival times in the state, not from this process's timers alone.
 * Any process may emit a ripe album (a second emission has the same event id: the gateway drops
 * it). An album remembers which updates it carried for an hour: a redelivered item is dropped,
 * a genuinely late one goes out as a message of its own instead of being lost.
 */
import type { AccountContext, InboundMessageEvent } from '../../src/core/adapter';
import type { Message } from 'grammy/types';
import { KeyedLock } from './account-lock';
import { mapTelegramMessage, mergeAlbum, telegramEventId } from './telegram.mapper';

const STATE_KEY = 'mediaGroups';
/** How long an emitted album's update ids are kept to recognise redeliveries. */
const REMEMBER_EMITTED_MS = 60 * 60 * 1000;

interface PendingItem {
  updateId: number;
  message: Message;
  edited: boolean;
  /** Epoch ms the item was stored. */
  receivedAt: number;
}

interface AlbumState {
  /** Items not emitted yet. */
  items: PendingItem[];
  /** Update ids the album's event carried, once it went out. */
  emitted?: number[];
  emittedAt?: number;
}

/** Per `chat:media_group_id`. Older versions stored a plain item list. */
type StoredGroups = Record<string, AlbumState | Omit<PendingItem, 'receivedAt'>[]>;
type Groups = Record<string, AlbumState>;

export class MediaGroupBuffer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lock = new KeyedLock();
  private readonly flushing = new Set<Promise<void>>();

  constructor(
    private readonly account: AccountContext,
    private readonly botId: string,
    private readonly waitMs: number,
    /** Hands an album's event on (the adapter's emit, which maps migrated chats). */
    private readonly emit: (event: InboundMessageEvent) => Promise<void>,
  ) {}

  /** Stores an album item; the group's event follows `waitMs` after its last item. */
  async add(updateId: number, message: Message, edited: boolean): Promise<void> {
    const key = groupKey(message);
    const now = Date.now();
    await this.change((groups) => {
      const album = groups[key] ?? { items: [] };
      const known =
        album.items.some((item) => item.updateId === updateId) ||
        (album.emitted ?? []).includes(updateId);
      if (known) return groups;
      const item: PendingItem = { updateId, message, edited, receivedAt: now };
      return { ...groups, [key]: { ...album, items: [...album.items, item] } };
    }, now);
    this.schedule(key, this.waitMs);
  }

  /** Schedules groups left in the state by an earlier run or by another process. */
  async resume(): Promise<void> {
    const groups = await this.read();
    for (const [key, album] of Object.entries(groups)) {
      if (album.items.length > 0) this.schedule(key, this.waitMs);
    }
  }

  /** Cancels timers; pending groups stay in the state for `resume`. */
  async stop(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.flushing]);
  }

  private schedule(key: string, delayMs: number): void {
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      const flush = this.lock
        .run(STATE_KEY, () => this.flush(key))
        .catch((error: unknown) => {
          this.account.logger.error('telegram: could not emit an album', { error: String(error) });
          this.schedule(key, this.waitMs);
        });
      this.flushing.add(flush);
      void flush.finally(() => this.flushing.delete(flush));
    }, delayMs);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  private async flush(key: string): Promise<void> {
    const album = (await this.read())[key];
    if (!album || album.items.length === 0) return;
    const quietMs = Date.now() - Math.max(...album.items.map((item) => item.receivedAt));
    if (quietMs < this.waitMs) {
      // Another process stored an item since this timer was set: wait for quiet again.
      this.schedule(key, this.waitMs - quietMs);
      return;
    }
    const events = album.items.flatMap((item) => {
      const event = mapTelegramMessage(
        item.message,
        telegramEventId(this.botId, item.updateId),
        item.edited,
      );
      return event ? [event] : [];
    });
    if (album.emitted === undefined) {
      const merged = mergeAlbum(events, albumEventId(this.botId, key));
      if (merged) await this.emit(merged);
    } else {
      // Came after the album went out: each its own message rather than lost.
      for (const event of events) await this.emit(event);
    }
    const sent = album.items.map((item) => item.updateId);
    const now = Date.now();
    const after = await this.change((groups) => {
      const current = groups[key] ?? { items: [] };
      return {
        ...groups,
        [key]: {
          items: current.items.filter((item) => !sent.includes(item.updateId)),
          emitted: [...new Set([...(current.emitted ?? []), ...sent])],
          emittedAt: now,
        },
      };
    }, now);
    if ((after[key]?.items.length ?? 0) > 0) this.schedule(key, this.waitMs);
  }

  private async read(): Promise<Groups> {
    return normalize(await this.account.state.get<StoredGroups>(STATE_KEY));
  }

  /** Atomic change of all groups; forgets emitted albums older than REMEMBER_EMITTED_MS. */
  private async change(apply: (groups: Groups) => Groups, now: number): Promise<Groups> {
    const stored = await this.account.state.update<StoredGroups>(STATE_KEY, (value) => {
      const groups = apply(normalize(value));
      return Object.fromEntries(
        Object.entries(groups).filter(
          ([, album]) =>
            album.items.length > 0 || now - (album.emittedAt ?? now) < REMEMBER_EMITTED_MS,
        ),
      );
    });
    return normalize(stored);
  }
}

function normalize(stored: StoredGroups | undefined): Groups {
  const groups: Groups = {};
  for (const [key, value] of Object.entries(stored ?? {})) {
    groups[key] = Array.isArray(value)
      ? { items: value.map((item) => ({ ...item, receivedAt: 0 })) }
      : value;
  }
  return groups;
}

function groupKey(message: Message): string {
  return `${message.chat.id}:${message.media_group_id ?? ''}`;
}

/** One id per album: a redelivered item of an emitted album is dropped by the gateway. */
export function albumEventId(botId: string, key: string): string {
  return `telegram:${botId}:album:${key}`;
}

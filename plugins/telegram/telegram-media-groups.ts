/**
 * Albums: Telegram delivers each item of a media group as its own update. Items are kept in the
 * account state (so an acknowledged webhook or an advanced poll offset loses nothing) until no
 * new item came for `waitMs`; then ONE event with all attachments is emitted.
 */
import type { AccountContext } from '../../src/core/adapter';
import type { Message } from 'grammy/types';
import { KeyedLock } from './account-lock';
import { mapTelegramMessage, mergeAlbum, telegramEventId } from './telegram.mapper';

const STATE_KEY = 'mediaGroups';

interface PendingItem {
  updateId: number;
  message: Message;
  edited: boolean;
}

type PendingGroups = Record<string, PendingItem[]>;

export class MediaGroupBuffer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lock = new KeyedLock();
  private readonly flushing = new Set<Promise<void>>();

  constructor(
    private readonly account: AccountContext,
    private readonly botId: string,
    private readonly waitMs: number,
  ) {}

  /** Stores an album item; the group's event follows `waitMs` after its last item. */
  async add(updateId: number, message: Message, edited: boolean): Promise<void> {
    const key = groupKey(message);
    await this.lock.run(STATE_KEY, async () => {
      const groups = (await this.account.state.get<PendingGroups>(STATE_KEY)) ?? {};
      const items = groups[key] ?? [];
      if (!items.some((item) => item.updateId === updateId))
        items.push({ updateId, message, edited });
      await this.account.state.set(STATE_KEY, { ...groups, [key]: items });
    });
    this.schedule(key);
  }

  /** Schedules groups left in the state by an earlier run (stopped before their flush). */
  async resume(): Promise<void> {
    const groups = (await this.account.state.get<PendingGroups>(STATE_KEY)) ?? {};
    for (const key of Object.keys(groups)) this.schedule(key);
  }

  /** Cancels timers; pending groups stay in the state for `resume`. */
  async stop(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.flushing]);
  }

  private schedule(key: string): void {
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      const flush = this.flush(key).catch((error: unknown) => {
        this.account.logger.error('telegram: could not emit an album', { error: String(error) });
        this.schedule(key);
      });
      this.flushing.add(flush);
      void flush.finally(() => this.flushing.delete(flush));
    }, this.waitMs);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  private async flush(key: string): Promise<void> {
    await this.lock.run(STATE_KEY, async () => {
      const groups = (await this.account.state.get<PendingGroups>(STATE_KEY)) ?? {};
      const items = groups[key];
      if (!items || items.length === 0) return;
      const events = items.flatMap((item) => {
        const event = mapTelegramMessage(
          item.message,
          telegramEventId(this.botId, item.updateId),
          item.edited,
        );
        return event ? [event] : [];
      });
      const merged = mergeAlbum(events, albumEventId(this.botId, key));
      if (merged) await this.account.emit(merged);
      const { [key]: _done, ...rest } = groups;
      await this.account.state.set(STATE_KEY, rest);
    });
  }
}

function groupKey(message: Message): string {
  return `${message.chat.id}:${message.media_group_id ?? ''}`;
}

/** One id per album: a redelivered item of an emitted album is dropped by the gateway. */
export function albumEventId(botId: string, key: string): string {
  return `telegram:${botId}:album:${key}`;
}

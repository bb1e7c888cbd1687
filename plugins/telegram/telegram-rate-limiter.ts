/**
 * Telegram's flood limits for one bot, kept on our side so that sends wait for their slot
 * instead of collecting 429s: ~30 messages/s for the bot, ~1/s per chat, 20/minute per group.
 *
 * Each limit is a GCRA (the virtual-scheduling form of a token bucket). A send takes two slots
 * in turn: first its chat's (one per second; one per 3 s in groups), then, once that came, the
 * bot's. Taking the bot's slot only when the send is really due keeps a send that waits for its
 * chat from holding back the bot's budget for the other chats meanwhile. A 429 pauses the whole
 * bot for `retry_after` (Telegram penalises every call of the bot meanwhile).
 */

export interface TelegramRateLimits {
  /** The whole bot (Telegram: about 30 messages per second). */
  botPerSecond: number;
  /** Sends the bot may make at once after being idle. */
  botBurst: number;
  /** One chat (Telegram: about one message per second). */
  chatPerSecond: number;
  /** One group or supergroup, in addition (Telegram: 20 messages per minute). */
  groupPerMinute: number;
}

export const DEFAULT_TELEGRAM_RATE_LIMITS: TelegramRateLimits = {
  botPerSecond: 30,
  botBurst: 5,
  chatPerSecond: 1,
  groupPerMinute: 20,
};

/** One GCRA schedule: the theoretical arrival time of the next conforming send. */
interface Schedule {
  /** Epoch ms. */
  tat: number;
}

export class TelegramRateLimiter {
  private bot: Schedule = { tat: 0 };
  private readonly chats = new Map<string, Schedule>();
  private pausedUntil = 0;
  private reservations = 0;

  constructor(
    private readonly limits: TelegramRateLimits = DEFAULT_TELEGRAM_RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    for (const [name, value] of Object.entries(limits)) {
      if (!(Number(value) > 0)) throw new RangeError(`${name} must be positive`);
    }
  }

  /**
   * Reserves the chat's next slot for a message and returns how long to wait for it (ms); then
   * call `reserveBot`. When the wait would be longer than `maxWaitMs`, nothing is reserved and
   * the wait is returned as `{ tooLong }`, for the caller to give the time back (to its queue).
   */
  reserveChat(chatId: string, maxWaitMs = Infinity): { waitMs: number } | { tooLong: number } {
    const now = this.now();
    const at = Math.max(now, this.pausedUntil, this.chats.get(chatId)?.tat ?? 0);
    const waitMs = at - now;
    if (waitMs > maxWaitMs) return { tooLong: waitMs };
    this.chats.set(chatId, { tat: at + this.chatInterval(chatId) });
    if (++this.reservations % 1000 === 0) this.forgetIdleChats(now);
    return { waitMs };
  }

  /**
   * Reserves the bot's next slot for a message whose chat slot has come; returns the wait (ms).
   * The chat's following message counts its interval from this slot.
   */
  reserveBot(chatId: string): number {
    const now = this.now();
    const interval = 1000 / this.limits.botPerSecond;
    const tolerance = (this.limits.botBurst - 1) * interval;
    const at = Math.max(now, this.pausedUntil, this.bot.tat - tolerance);
    this.bot = { tat: Math.max(this.bot.tat, at) + interval };
    const chat = this.chats.get(chatId);
    const next = at + this.chatInterval(chatId);
    if (!chat || chat.tat < next) this.chats.set(chatId, { tat: next });
    return at - now;
  }

  /** Telegram answered 429: nothing of this bot goes out before `retryAfterMs` from now. */
  pause(retryAfterMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + retryAfterMs);
  }

  private chatInterval(chatId: string): number {
    const perChat = 1000 / this.limits.chatPerSecond;
    return isGroupChat(chatId) ? Math.max(perChat, 60_000 / this.limits.groupPerMinute) : perChat;
  }

  /** Chats whose schedule lies in the past need no entry: a fresh one behaves the same. */
  private forgetIdleChats(now: number): void {
    for (const [chatId, schedule] of this.chats) if (schedule.tat <= now) this.chats.delete(chatId);
  }
}

/** Group, supergroup and channel ids are negative; private chats (users) positive. */
export function isGroupChat(chatId: string): boolean {
  return chatId.startsWith('-');
}

/** Telegram's (unpublished) flood limits per bot, as the FAQ describes them. */
export interface RateLimitOptions {
  enabled: boolean;
  /** Messages per second over all chats (~30). */
  globalPerSecond: number;
  globalBurst: number;
  /** Messages per second into one chat (~1, short bursts tolerated). */
  perChatPerSecond: number;
  perChatBurst: number;
  /** Messages per minute into one group or supergroup (~20). */
  perGroupPerMinute: number;
  perGroupBurst: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  enabled: true,
  globalPerSecond: 30,
  globalBurst: 30,
  perChatPerSecond: 1,
  perChatBurst: 3,
  perGroupPerMinute: 20,
  perGroupBurst: 20,
};

const PAID_BROADCAST_PER_SECOND = 1000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets keyed by bot + scope. `take` either consumes one token from every applicable bucket
 * or returns the seconds (rounded up, at least 1) until all of them would allow the message.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private options: RateLimitOptions;

  constructor(
    options: Partial<RateLimitOptions>,
    private readonly now: () => number,
  ) {
    this.options = { ...DEFAULT_RATE_LIMITS, ...options };
  }

  get config(): RateLimitOptions {
    return { ...this.options };
  }

  configure(options: Partial<RateLimitOptions>): RateLimitOptions {
    this.options = { ...this.options, ...options };
    this.buckets.clear();
    return this.config;
  }

  reset(): void {
    this.buckets.clear();
  }

  /**
   * Returns undefined when allowed (and consumes), else retry_after in seconds.
   * `paidBroadcast` (allow_paid_broadcast) swaps the global bucket for 1000 messages/s.
   */
  take(botId: number, chatId: number, isGroup: boolean, paidBroadcast = false): number | undefined {
    if (!this.options.enabled) return undefined;
    const o = this.options;
    const scopes: Array<[string, number, number]> = [
      paidBroadcast
        ? [`${botId}:paid`, PAID_BROADCAST_PER_SECOND, PAID_BROADCAST_PER_SECOND]
        : [`${botId}`, o.globalPerSecond, o.globalBurst],
      [`${botId}:${chatId}`, o.perChatPerSecond, o.perChatBurst],
    ];
    if (isGroup)
      scopes.push([`${botId}:${chatId}:group`, o.perGroupPerMinute / 60, o.perGroupBurst]);
    const t = this.now();
    let waitMs = 0;
    const current = scopes.map(([key, rate, burst]) => {
      const bucket = this.refill(key, rate, burst, t);
      if (bucket.tokens < 1) waitMs = Math.max(waitMs, ((1 - bucket.tokens) / rate) * 1000);
      return bucket;
    });
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    for (const bucket of current) bucket.tokens -= 1;
    return undefined;
  }

  private refill(key: string, ratePerSecond: number, burst: number, t: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: t };
    const elapsed = Math.max(0, t - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * ratePerSecond);
    bucket.updatedAt = t;
    this.buckets.set(key, bucket);
    return bucket;
  }
}

import type { RateLimitConfig } from '../types';
import { limitExceeded, type MatrixError } from './errors';

interface Bucket {
  tokens: number;
  updated: number;
}

/** Per-user token bucket for sends (like Synapse's `rc_message`). */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(public config: RateLimitConfig) {}

  configure(patch: Partial<RateLimitConfig>): RateLimitConfig {
    this.config = { ...this.config, ...patch };
    this.buckets.clear();
    return this.config;
  }

  /** Takes one token for the user or returns the 429 error to send. */
  take(userId: string, now = Date.now()): MatrixError | undefined {
    const { enabled, perSecond, burst } = this.config;
    if (!enabled) return undefined;
    const b = this.buckets.get(userId) ?? { tokens: burst, updated: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.updated) / 1000) * perSecond);
    b.updated = now;
    this.buckets.set(userId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    const retryAfterMs = Math.ceil(((1 - b.tokens) / perSecond) * 1000);
    return limitExceeded(retryAfterMs);
  }
}

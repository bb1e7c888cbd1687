/**
 * A token bucket per sender, counted in SMS segments per second like Twilio's sender queues.
 * Twilio queues what exceeds a sender's rate itself (up to ValidityPeriod); the bucket keeps that
 * backlog short: a send that would overdraw more than `burstSeconds` of rate waits in the gateway's
 * queue instead (RateLimitedError with the time until it fits).
 */
export interface TakeResult {
  ok: boolean;
  /** When not ok: how long until the send fits. */
  retryAfterMs: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class SegmentRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly burstSeconds = 10,
  ) {}

  /** Takes `segments` tokens for `sender` at `perSecond`; a message larger than the burst may go into debt. */
  take(sender: string, segments: number, perSecond: number): TakeResult {
    const capacity = Math.max(perSecond * this.burstSeconds, 1);
    const now = this.now();
    const bucket = this.buckets.get(sender) ?? { tokens: capacity, updatedAt: now };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond,
    );
    bucket.updatedAt = now;
    this.buckets.set(sender, bucket);
    if (bucket.tokens <= 0) {
      return { ok: false, retryAfterMs: Math.ceil((-bucket.tokens / perSecond) * 1000) + 1 };
    }
    bucket.tokens -= Math.max(segments, 1);
    return { ok: true, retryAfterMs: 0 };
  }

  forget(sender: string): void {
    this.buckets.delete(sender);
  }
}

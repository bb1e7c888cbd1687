import { SegmentRateLimiter } from '../rate-limiter';

describe('SegmentRateLimiter', () => {
  it('allows a burst of 10 s of segments, then defers with the time until it fits', () => {
    let now = 0;
    const limiter = new SegmentRateLimiter(() => now);
    for (let i = 0; i < 10; i++) expect(limiter.take('a', 1, 1).ok).toBe(true);
    const deferred = limiter.take('a', 1, 1);
    expect(deferred.ok).toBe(false);
    expect(deferred.retryAfterMs).toBeGreaterThan(0);
    expect(deferred.retryAfterMs).toBeLessThanOrEqual(1001);
    now += 1000;
    expect(limiter.take('a', 1, 1).ok).toBe(true);
  });

  it('keeps senders apart', () => {
    const limiter = new SegmentRateLimiter(() => 0);
    expect(limiter.take('a', 10, 1).ok).toBe(true);
    expect(limiter.take('a', 1, 1).ok).toBe(false);
    expect(limiter.take('b', 1, 1).ok).toBe(true);
  });

  it('lets a message larger than the burst go, into debt', () => {
    let now = 0;
    const limiter = new SegmentRateLimiter(() => now);
    expect(limiter.take('a', 25, 1).ok).toBe(true);
    const next = limiter.take('a', 1, 1);
    expect(next.ok).toBe(false);
    expect(next.retryAfterMs).toBeGreaterThan(15_000);
    now += 16_000;
    expect(limiter.take('a', 1, 1).ok).toBe(true);
  });
});

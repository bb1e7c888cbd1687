import { RateLimitedError } from '../../core/adapter/errors';
import { HubSpotRateLimitedError, HubSpotTransportError } from '../client/errors';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { observationOf, PortalRateLimiter } from './portal-rate-limiter';
import type { HubSpotRateLimitOptions } from './rate-limit-options';

const small = (extra: Partial<HubSpotRateLimitOptions> = {}) =>
  new PortalRateLimiter(new MemoryRateLimitStore(), {
    window: { max: 5, intervalMs: 200 },
    searchWindow: { max: 2, intervalMs: 200 },
    maxWaitMs: 5_000,
    pollMs: 20,
    ...extra,
  });

/** Largest number of grants inside any interval of `ms`. */
function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe(PortalRateLimiter.name, () => {
  it('never admits more than max requests in any rolling interval, and uses the whole budget', async () => {
    const sut = small();
    const granted: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        const lease = await sut.acquire('p1');
        granted.push(Date.now());
        lease.release();
      }),
    );
    expect(busiestWindow(granted, 200)).toBeLessThanOrEqual(5);
    // 30 requests at 5 per 200 ms: 6 windows, the first one immediate -> about 1 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(4_000); // generous: shared CI machines
  });

  it('keeps portals apart', async () => {
    const sut = small({ maxWaitMs: 50 });
    for (let i = 0; i < 5; i++) await sut.acquire('a');
    await expect(sut.acquire('a')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(sut.acquire('b')).resolves.toBeDefined();
  });

  it('holds a slot while the request is in flight, then one interval after the answer', async () => {
    const sut = small({ maxWaitMs: 100 });
    const leases = await Promise.all(Array.from({ length: 5 }, () => sut.acquire('p')));
    const error = await sut.acquire('p').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(100);
    leases.forEach((l) => l.release());
    const released = Date.now();
    await small().acquire('other');
    await expect(sut.acquire('p')).rejects.toBeInstanceOf(RateLimitedError); // still within 200 ms
    await new Promise((r) => setTimeout(r, 210 - (Date.now() - released)));
    await expect(sut.acquire('p')).resolves.toBeDefined();
  });

  it('counts search requests against the search window too', async () => {
    const sut = small({ maxWaitMs: 50 });
    await sut.acquire('p', 'search');
    await sut.acquire('p', 'search');
    await expect(sut.acquire('p', 'search')).rejects.toBeInstanceOf(HubSpotRateLimitedError);
    await expect(sut.acquire('p')).resolves.toBeDefined();
  });

  it('pauses a portal after a 429 for Retry-After', async () => {
    const sut = small();
    await sut.observe('p', { status: 429, retryAfterMs: 150 });
    const started = Date.now();
    await sut.acquire('p');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('fails at once with a DAILY RateLimitedError when the daily cap is used up', async () => {
    const sut = small({ dailyMax: 2 });
    (await sut.acquire('p')).release();
    (await sut.acquire('p')).release();
    const error = (await sut.acquire('p').catch((e: unknown) => e)) as HubSpotRateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.policyName).toBe('DAILY');
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });

  it('adopts the limits HubSpot reports in its headers', async () => {
    const sut = small({ maxWaitMs: 50 });
    const headers = new Headers({
      'x-hubspot-ratelimit-max': '2',
      'x-hubspot-ratelimit-remaining': '2',
      'x-hubspot-ratelimit-interval-milliseconds': '1000',
    });
    await sut.observe('p', observationOf(200, headers));
    expect(sut.windowOf('p')).toEqual({ max: 2, intervalMs: 1000 });
    await sut.acquire('p');
    await sut.acquire('p');
    await expect(sut.acquire('p')).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('fills the window when HubSpot counts more requests than we sent (another client)', async () => {
    const sut = small({ maxWaitMs: 50 });
    await sut.observe('p', { status: 200, max: 5, remaining: 0, intervalMs: 200 });
    await expect(sut.acquire('p')).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('stops waiting when the caller aborts', async () => {
    const sut = small();
    for (let i = 0; i < 5; i++) await sut.acquire('p');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = (await sut
      .acquire('p', 'default', controller.signal)
      .catch((e: unknown) => e)) as HubSpotTransportError;
    expect(error).toBeInstanceOf(HubSpotTransportError);
    expect(error.kind).toBe('aborted');
  });
});

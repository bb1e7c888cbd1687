import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { RateLimitedError } from '../../core/adapter/errors';
import { deleteRedisPrefix } from '../../core/queue/testing/redis';
import { createHubSpotClient, type HubSpotClientKit } from '../client/create-hubspot-client';
import { resolveHubSpotClientOptions } from '../client/hubspot-client.options';
import { MemoryTokenStore } from '../oauth/memory-token-store';
import { RedisRefreshLock } from '../oauth/redis-refresh-lock';
import { startHubSpotSimulator, type HubSpotSimulator } from '../../../test/simulators/hubspot';
import { PortalRateLimiter } from './portal-rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit-store';

jest.setTimeout(60_000);

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Several gateway processes share one Redis: one rate limit and one refresh lock per portal. */
describe('HubSpot client state shared through Redis', () => {
  const prefix = `hubspot-test-${randomBytes(4).toString('hex')}`;
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const redis = new Redis(REDIS_URL);
    connections.push(redis);
    return redis;
  };

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
    await deleteRedisPrefix(REDIS_URL, prefix);
  });

  describe(RedisRateLimitStore.name, () => {
    const limiter = (name: string, extra: Partial<PortalRateLimiter['options']> = {}) =>
      new PortalRateLimiter(
        new RedisRateLimitStore(connect()),
        { window: { max: 5, intervalMs: 300 }, pollMs: 20, maxWaitMs: 10_000, ...extra },
        `${prefix}:${name}`,
      );

    it('keeps two processes together under one rolling window, using all of it', async () => {
      const a = limiter('shared');
      const b = limiter('shared');
      const granted: number[] = [];
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const lease = await (i % 2 ? a : b).acquire('portal-1');
          granted.push(Date.now());
          lease.release();
        }),
      );
      expect(busiestWindow(granted, 300)).toBeLessThanOrEqual(5);
      // 30 requests, 5 per 300 ms: the last batch may start after 5 windows -> about 1.5 s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
      expect(Date.now() - started).toBeLessThan(6_000); // generous: shared CI machines
    });

    it('shares the pause after a 429 and the daily cap', async () => {
      const a = limiter('pause', { dailyMax: 3 });
      const b = limiter('pause', { dailyMax: 3 });
      await a.observe('p', { status: 429, retryAfterMs: 200 });
      const started = Date.now();
      (await b.acquire('p')).release();
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      (await a.acquire('p')).release();
      (await b.acquire('p')).release();
      await expect(a.acquire('p')).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('holds an unanswered slot until its lease expires (crashed holder)', async () => {
      const a = limiter('lease', {
        window: { max: 1, intervalMs: 100 },
        leaseTtlMs: 300,
        maxWaitMs: 2_000,
      });
      await a.acquire('p'); // never released
      const started = Date.now();
      await limiter('lease', { window: { max: 1, intervalMs: 100 } }).acquire('p');
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    });
  });

  describe(RedisRefreshLock.name, () => {
    it('runs one holder at a time across connections', async () => {
      const locks = [connect(), connect()].map(
        (r) => new RedisRefreshLock(r, { pollMs: 10 }, `${prefix}:lock`),
      );
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          locks[i % 2].withLock('portal-9', async () => {
            most = Math.max(most, ++inside);
            await new Promise((r) => setTimeout(r, 20));
            inside--;
          }),
        ),
      );
      expect(most).toBe(1);
    });

    it('frees itself after its TTL when the holder died', async () => {
      const redis = connect();
      await redis.set(`${prefix}:lock:portal-dead`, 'someone', 'PX', 200);
      const lock = new RedisRefreshLock(redis, { pollMs: 10 }, `${prefix}:lock`);
      const started = Date.now();
      await lock.withLock('portal-dead', async () => undefined);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    });
  });

  describe('two gateway processes against the simulator', () => {
    let sim: HubSpotSimulator;
    const kits: HubSpotClientKit[] = [];

    beforeAll(async () => {
      sim = await startHubSpotSimulator();
    });
    afterAll(async () => {
      await Promise.all(kits.map((k) => k.close()));
      await sim.close();
    });

    it('refresh an expired token exactly once between them (lock + re-check of the stored token)', async () => {
      const store = new MemoryTokenStore(); // stands for the shared database
      for (let i = 0; i < 2; i++) {
        kits.push(
          createHubSpotClient(
            resolveHubSpotClientOptions({
              baseUrl: sim.baseUrl,
              clientId: sim.app.clientId,
              clientSecret: sim.app.clientSecret,
              redisUrl: REDIS_URL,
              redisKeyPrefix: `${prefix}:sim`,
            }),
            { tokenStore: store },
          ),
        );
      }
      // Installed earlier: both processes first read the (expired) token from the database.
      const created = sim.control.createPortal({ issueTokens: true });
      const portalId = created.portalId;
      sim.control.expireAccessTokens({ portalId });
      await store.save(portalId, {
        accessToken: created.accessToken!,
        refreshToken: created.refreshToken!,
        expiresAt: new Date(Date.now() - 1_000),
        scopes: created.scopes,
      });
      const since = sim.requests().length;

      const pages = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          kits[i % 2].client.forPortal(portalId).conversations.listInboxes(),
        ),
      );

      expect(pages).toHaveLength(20);
      const log = sim.requests().slice(since);
      expect(log.filter((r) => r.method === 'POST' && r.path === '/oauth/v1/token')).toHaveLength(
        1,
      );
      expect(log.filter((r) => r.status === 401)).toHaveLength(0);
      expect(kits[0].tokens.refreshCount + kits[1].tokens.refreshCount).toBe(1);
    });
  });
});

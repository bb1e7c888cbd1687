import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { HubSpotTransportError } from '../client/errors';
import { LuaScript } from '../../core/redis/lua-script';
import { RefreshLock } from './refresh-lock';

const UNLOCK = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

export interface RedisRefreshLockOptions {
  /** The lock frees itself after this long if its holder died (longer than a refresh takes). */
  ttlMs: number;
  /** Give up waiting for the lock after this long (a retryable error). */
  waitMs: number;
  pollMs: number;
}

/**
 * `SET key token NX PX ttl` lock; released only by its owner (compare-and-delete). Waiters poll;
 * the token manager re-reads the stored tokens once it holds the lock, so a refresh made by
 * another process meanwhile is reused instead of repeated.
 */
export class RedisRefreshLock extends RefreshLock {
  private readonly options: RedisRefreshLockOptions;

  constructor(
    private readonly redis: Redis,
    options: Partial<RedisRefreshLockOptions> = {},
    private readonly prefix = 'hubspot:oauth-refresh-lock',
  ) {
    super();
    this.options = { ttlMs: 30_000, waitMs: 35_000, pollMs: 50, ...options };
  }

  async withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
    const lockKey = `${this.prefix}:${key}`;
    const owner = randomUUID();
    const deadline = Date.now() + this.options.waitMs;
    while ((await this.redis.set(lockKey, owner, 'PX', this.options.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) {
        throw new HubSpotTransportError(
          `timed out waiting for the token refresh lock ${key}`,
          'timeout',
        );
      }
      const jitter = Math.random() * this.options.pollMs;
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs + jitter));
    }
    try {
      return await task();
    } finally {
      await UNLOCK.run(this.redis, [lockKey], [owner]).catch(() => undefined);
    }
  }
}

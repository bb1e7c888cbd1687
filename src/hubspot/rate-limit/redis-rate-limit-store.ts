import type Redis from 'ioredis';
import type { AcquireResult, AcquireSpec, KeyedWindow, RateLimitStore } from './rate-limit-store';
import { LuaScript } from '../../core/redis/lua-script';

/** Every script reads the clock from Redis (TIME), so processes never disagree on "now". */
const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: pauseKey, dailyKey ('' when none), window keys...
 * ARGV: leaseId, leaseTtlMs, dailyMax (0 = none), then max and intervalMs per window.
 * Returns {1} when granted, {0, waitMs, reason} otherwise.
 */
const ACQUIRE = new LuaScript(`${NOW}
local pause = redis.call('PTTL', KEYS[1])
if pause > 0 then return {0, pause, 'paused'} end
local dailyMax = tonumber(ARGV[3])
if dailyMax > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= dailyMax then
  return {0, 0, 'daily'}
end
local wait = 0
for i = 3, #KEYS do
  local max = tonumber(ARGV[4 + (i - 3) * 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= max then
    local nth = redis.call('ZRANGE', KEYS[i], count - max, count - max, 'WITHSCORES')
    local interval = tonumber(ARGV[5 + (i - 3) * 2])
    -- an unanswered slot frees at the earliest one interval after its answer: a lower bound
    local w = math.min(tonumber(nth[2]) - now, interval)
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait, 'window'} end
local ttl = tonumber(ARGV[2])
for i = 3, #KEYS do
  local interval = tonumber(ARGV[5 + (i - 3) * 2])
  redis.call('ZADD', KEYS[i], now + ttl + interval, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], ttl + interval + 1000)
end
if dailyMax > 0 then
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], 2 * 86400000)
end
return {1, 0, 'ok'}`);

/** KEYS: window keys. ARGV: leaseId, intervalMs per window. */
const RELEASE = new LuaScript(`${NOW}
for i = 1, #KEYS do
  local interval = tonumber(ARGV[1 + i])
  redis.call('ZADD', KEYS[i], 'XX', now + interval, ARGV[1])
end
return 1`);

/** KEYS: window key. ARGV: max, remaining, intervalMs. */
const SYNC = new LuaScript(`${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local gap = tonumber(ARGV[1]) - tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
local interval = tonumber(ARGV[3])
for i = 1, gap do
  redis.call('ZADD', KEYS[1], now + interval, 'phantom:' .. now .. ':' .. i .. ':' .. math.random(1000000000))
end
if gap > 0 then redis.call('PEXPIRE', KEYS[1], interval + 1000) end
return gap`);

/** KEYS: pauseKey. ARGV: ms. Only ever extends a pause. */
const PAUSE = new LuaScript(`
local current = redis.call('PTTL', KEYS[1])
if current < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 1`);

/** Sliding windows shared by every gateway process on one Redis (REDIS_URL set). */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(private readonly redis: Redis) {}

  async tryAcquire(spec: AcquireSpec): Promise<AcquireResult> {
    const keys = [spec.pauseKey, spec.daily?.key ?? '', ...spec.windows.map((w) => w.key)];
    const args: (string | number)[] = [spec.leaseId, spec.leaseTtlMs, spec.daily?.max ?? 0];
    for (const window of spec.windows) args.push(window.max, window.intervalMs);
    const reply = await ACQUIRE.run(this.redis, keys, args);
    if (!Array.isArray(reply)) throw new Error('unexpected reply from the rate limit script');
    const [granted, waitMs, reason] = reply as [number, number, string];
    if (granted === 1) return { granted: true };
    if (reason === 'daily') return { granted: false, reason: 'daily' };
    return { granted: false, reason: reason === 'paused' ? 'paused' : 'window', waitMs };
  }

  async release(leaseId: string, windows: KeyedWindow[]): Promise<void> {
    await RELEASE.run(
      this.redis,
      windows.map((w) => w.key),
      [leaseId, ...windows.map((w) => w.intervalMs)],
    );
  }

  async pause(pauseKey: string, ms: number): Promise<void> {
    await PAUSE.run(this.redis, [pauseKey], [Math.max(1, Math.round(ms))]);
  }

  async sync(window: KeyedWindow, remaining: number): Promise<void> {
    await SYNC.run(this.redis, [window.key], [window.max, remaining, window.intervalMs]);
  }

  async exhaustDaily(daily: { key: string; max: number }): Promise<void> {
    await this.redis.set(daily.key, String(daily.max), 'PX', 2 * 86_400_000);
  }
}

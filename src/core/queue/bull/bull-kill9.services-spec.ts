import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCompletions, runCrashScenario } from '../testing/crash-scenario';
import { deleteRedisPrefix } from '../testing/redis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('BullJobQueue survives kill -9', () => {
  let dir: string;
  const prefix = `test-kill9-${process.pid}-${Date.now()}`;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'queue-bull-kill9-'));
  });
  afterAll(async () => {
    await deleteRedisPrefix(REDIS_URL, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every job after a SIGKILL and restart, keeping per-key order', async () => {
    const keys = 40;
    const perKey = 25;
    const concurrency = 16;
    const { lines, atKill } = await runCrashScenario(
      {
        driver: 'bull',
        databaseUrl: `sqlite:${join(dir, 'dl.sqlite')}`,
        redisUrl: REDIS_URL,
        redisPrefix: prefix,
        completionsFile: join(dir, 'completions.log'),
        enqueuedFile: join(dir, 'enqueued.flag'),
        enqueue: true,
        keys,
        perKey,
        jobMs: 20,
        concurrency,
      },
      200,
      90_000,
    );
    expect(atKill).toBeGreaterThanOrEqual(200);
    expect(atKill).toBeLessThan(keys * perKey);
    const repeats = checkCompletions(lines, keys, perKey);
    expect(repeats).toBeLessThanOrEqual(keys);
    expect(lines.length).toBe(keys * perKey + repeats);
  }, 120_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCompletions, runCrashScenario } from '../testing/crash-scenario';

describe('EmbeddedJobQueue survives kill -9', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'queue-kill9-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every job after a SIGKILL and restart, keeping per-key order', async () => {
    const keys = 40;
    const perKey = 25;
    const concurrency = 16;
    const { lines, atKill } = await runCrashScenario(
      {
        driver: 'embedded',
        databaseUrl: `sqlite:${join(dir, 'gateway.sqlite')}`,
        completionsFile: join(dir, 'completions.log'),
        enqueuedFile: join(dir, 'enqueued.flag'),
        enqueue: true,
        keys,
        perKey,
        jobMs: 20,
        concurrency,
      },
      200,
    );
    expect(atKill).toBeGreaterThanOrEqual(200);
    expect(atKill).toBeLessThan(keys * perKey);
    const repeats = checkCompletions(lines, keys, perKey);
    // At most the job in flight at the kill, per key, ran twice (checked per key above).
    expect(repeats).toBeLessThanOrEqual(keys);
    expect(lines.length).toBe(keys * perKey + repeats);
  }, 90_000);
});

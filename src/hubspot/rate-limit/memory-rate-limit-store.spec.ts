import { MemoryRateLimitStore } from './memory-rate-limit-store';
import type { AcquireSpec } from './rate-limit-store';

describe(MemoryRateLimitStore.name, () => {
  let now = 1_000_000;
  const sut = new MemoryRateLimitStore(() => now);
  const window = { key: 'w', max: 2, intervalMs: 10_000 };
  const spec = (leaseId: string): AcquireSpec => ({
    leaseId,
    windows: [window],
    pauseKey: 'pause',
    leaseTtlMs: 60_000,
  });

  it('reports how long until the oldest answered slot expires', async () => {
    await expect(sut.tryAcquire(spec('a'))).resolves.toEqual({ granted: true });
    await expect(sut.tryAcquire(spec('b'))).resolves.toEqual({ granted: true });
    now += 1_000;
    await sut.release('a', [window]); // answered at +1 s -> frees at +11 s
    now += 1_000;
    await expect(sut.tryAcquire(spec('c'))).resolves.toEqual({
      granted: false,
      reason: 'window',
      waitMs: 9_000,
    });
    now += 9_000;
    await expect(sut.tryAcquire(spec('c'))).resolves.toEqual({ granted: true });
  });

  it('frees a slot that was never released after the lease TTL', async () => {
    now += 100_000;
    const w = { key: 'ttl', max: 1, intervalMs: 10_000 };
    await sut.tryAcquire({ ...spec('x'), windows: [w] });
    const refused = await sut.tryAcquire({ ...spec('y'), windows: [w] });
    // Unanswered: at least one interval from now (lower bound); it frees itself after the TTL.
    expect(refused).toEqual({ granted: false, reason: 'window', waitMs: 10_000 });
    now += 70_000;
    await expect(sut.tryAcquire({ ...spec('y'), windows: [w] })).resolves.toEqual({
      granted: true,
    });
  });
});

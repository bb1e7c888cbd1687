import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  const backoff = { baseMs: 100, maxMs: 1000 };

  it('grows exponentially with full jitter under a ceiling', () => {
    expect(backoffDelayMs(1, backoff, undefined, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, backoff, undefined, () => 0.5)).toBe(200);
    expect(backoffDelayMs(10, backoff, undefined, () => 0.999)).toBe(999);
    expect(backoffDelayMs(2, backoff, undefined, () => 0)).toBe(0);
  });

  it('never retries earlier than the platform asked', () => {
    expect(backoffDelayMs(1, backoff, 5000, () => 0.9)).toBe(5000);
    expect(backoffDelayMs(5, backoff, 10, () => 0.9)).toBe(900);
  });

  it('stays finite for very high attempt numbers', () => {
    expect(backoffDelayMs(10_000, backoff, undefined, () => 1)).toBe(1000);
  });
});

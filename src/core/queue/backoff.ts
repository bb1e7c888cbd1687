import type { BackoffOptions } from './job-queue';

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 5 * 60_000 };

/**
 * Delay before the next attempt after `attempt` failed (1 for the first run): exponential backoff
 * with full jitter, random(0, min(maxMs, baseMs * 2^(attempt-1))). When the platform asked for a
 * delay (`retryAfterMs`), the larger of the two wins: we never call back earlier than asked.
 */
export function backoffDelayMs(
  attempt: number,
  backoff: BackoffOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
  const jittered = Math.floor(random() * ceiling);
  const asked = retryAfterMs !== undefined && retryAfterMs > 0 ? Math.ceil(retryAfterMs) : 0;
  return Math.max(jittered, asked);
}

/** One rolling window: at most `max` requests in any `intervalMs` (HubSpot's TEN_SECONDLY_ROLLING). */
export interface WindowLimit {
  max: number;
  intervalMs: number;
}

export interface HubSpotRateLimitOptions {
  /** Per-portal burst window. HubSpot public OAuth apps: 110 per 10 s (spec 11.1). */
  window: WindowLimit;
  /**
   * Extra, lower window for CRM search endpoints (HubSpot documents a separate search limit;
   * 4 per second here to stay safe). Search requests count against both windows.
   */
  searchWindow?: WindowLimit;
  /**
   * Requests per portal per UTC day; unset means no daily cap (HubSpot reports none for OAuth
   * apps; private apps: 250,000 to 1,000,000 depending on tier).
   */
  dailyMax?: number;
  /** How long `acquire` may wait for a slot before failing with a RateLimitedError. */
  maxWaitMs: number;
  /** Upper bound of one sleep between two attempts (other processes may free slots earlier). */
  pollMs: number;
  /**
   * How long an in-flight request may hold its slot before the slot is released anyway (crashed
   * process): set it to at least the longest request timeout.
   */
  leaseTtlMs: number;
  /** Pause a portal this long after a 429 without Retry-After. */
  pauseAfter429Ms: number;
  /**
   * Follow X-HubSpot-RateLimit-Max / -Interval-Milliseconds when HubSpot reports other values,
   * and fill the window when X-HubSpot-RateLimit-Remaining shows usage we did not send.
   */
  adoptServerLimits: boolean;
}

export const DEFAULT_RATE_LIMIT_OPTIONS: HubSpotRateLimitOptions = {
  window: { max: 110, intervalMs: 10_000 },
  searchWindow: { max: 4, intervalMs: 1_000 },
  dailyMax: undefined,
  maxWaitMs: 30_000,
  pollMs: 250,
  leaseTtlMs: 10 * 60_000,
  pauseAfter429Ms: 1_000,
  adoptServerLimits: true,
};

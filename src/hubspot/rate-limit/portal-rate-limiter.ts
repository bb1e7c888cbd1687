import { randomUUID } from 'node:crypto';
import { HubSpotRateLimitedError, HubSpotTransportError } from '../client/errors';
import { msUntilUtcMidnight } from '../client/error-mapping';
import {
  DEFAULT_RATE_LIMIT_OPTIONS,
  type HubSpotRateLimitOptions,
  type WindowLimit,
} from './rate-limit-options';
import type { KeyedWindow, RateLimitStore } from './rate-limit-store';

export type RequestKind = 'default' | 'search';

/** A slot for one request; call `release()` once HubSpot answered (or the request failed). */
export interface RateLimitLease {
  release(): void;
}

/** What a response told us about HubSpot's view of the portal's limits. */
export interface RateLimitObservation {
  status: number;
  max?: number;
  remaining?: number;
  intervalMs?: number;
  dailyRemaining?: number;
  retryAfterMs?: number;
}

/** Reads the X-HubSpot-RateLimit-* headers (spec 11.1). */
export function observationOf(status: number, headers: Pick<Headers, 'get'>): RateLimitObservation {
  const num = (name: string): number | undefined => {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === '') return undefined;
    const value = Number(raw);
    return Number.isFinite(value) ? value : undefined;
  };
  return {
    status,
    max: num('x-hubspot-ratelimit-max'),
    remaining: num('x-hubspot-ratelimit-remaining'),
    intervalMs: num('x-hubspot-ratelimit-interval-milliseconds'),
    dailyRemaining: num('x-hubspot-ratelimit-daily-remaining'),
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Keeps each portal under HubSpot's limits: a rolling window per portal (110 requests / 10 s for
 * public OAuth apps), a lower one for CRM search, and an optional daily cap, in a store that is
 * per process (memory) or shared by all processes (Redis).
 *
 * `acquire` waits for a free slot up to `maxWaitMs`, then fails with a RateLimitedError carrying
 * the expected wait so the job queue retries later instead of holding a worker.
 */
export class PortalRateLimiter {
  readonly options: HubSpotRateLimitOptions;
  /** Limits HubSpot reported per portal (when they differ from the configured ones). */
  private readonly serverLimits = new Map<string, WindowLimit>();

  constructor(
    private readonly store: RateLimitStore,
    options: Partial<HubSpotRateLimitOptions> = {},
    private readonly keyPrefix = 'hubspot:ratelimit',
  ) {
    this.options = { ...DEFAULT_RATE_LIMIT_OPTIONS, ...options };
  }

  async acquire(
    portalId: string,
    kind: RequestKind = 'default',
    signal?: AbortSignal,
  ): Promise<RateLimitLease> {
    const windows = this.windowsFor(portalId, kind);
    const leaseId = randomUUID();
    const daily = this.dailyFor(portalId);
    const deadline = Date.now() + this.options.maxWaitMs;
    for (;;) {
      const result = await this.store.tryAcquire({
        leaseId,
        windows,
        daily,
        pauseKey: `${this.keyPrefix}:{${portalId}}:pause`,
        leaseTtlMs: this.options.leaseTtlMs,
      });
      if (result.granted) return this.lease(leaseId, windows);
      if (result.reason === 'daily') {
        throw new HubSpotRateLimitedError(
          `HubSpot daily request limit of portal ${portalId} is used up`,
          msUntilUtcMidnight(),
          { policyName: 'DAILY' },
        );
      }
      const remaining = deadline - Date.now();
      if (result.waitMs > remaining) {
        throw new HubSpotRateLimitedError(
          `HubSpot rate limit of portal ${portalId}: no free request slot within ${this.options.maxWaitMs} ms`,
          result.waitMs,
          { policyName: result.reason === 'paused' ? 'PAUSED_AFTER_429' : 'LOCAL_WINDOW' },
        );
      }
      try {
        await sleep(Math.max(1, Math.min(result.waitMs, this.options.pollMs)), signal);
      } catch (reason) {
        throw new HubSpotTransportError(
          'waiting for a HubSpot rate limit slot was aborted',
          'aborted',
          reason,
        );
      }
    }
  }

  /** Feeds response headers back: adopt HubSpot's limits, pause after a 429, fill foreign usage. */
  async observe(portalId: string, observation: RateLimitObservation): Promise<void> {
    const { max, intervalMs, remaining } = observation;
    if (this.options.adoptServerLimits && max !== undefined && max > 0) {
      const interval = intervalMs && intervalMs > 0 ? intervalMs : this.options.window.intervalMs;
      const known = this.serverLimits.get(portalId) ?? this.options.window;
      if (known.max !== max || known.intervalMs !== interval) {
        this.serverLimits.set(portalId, { max, intervalMs: interval });
      }
    }
    if (observation.status === 429) {
      const pauseMs = observation.retryAfterMs ?? this.options.pauseAfter429Ms;
      await this.store.pause(`${this.keyPrefix}:{${portalId}}:pause`, pauseMs);
    }
    const window = this.windowsFor(portalId, 'default')[0];
    // Only worth a store round trip when HubSpot's count may exceed ours.
    if (this.options.adoptServerLimits && remaining !== undefined && remaining < window.max / 4) {
      await this.store.sync(window, remaining);
    }
    const daily = this.dailyFor(portalId);
    if (daily && observation.dailyRemaining === 0) await this.store.exhaustDaily(daily);
  }

  /** The rolling window in force for a portal (configured, or as HubSpot reported it). */
  windowOf(portalId: string): WindowLimit {
    return this.serverLimits.get(portalId) ?? this.options.window;
  }

  private windowsFor(portalId: string, kind: RequestKind): KeyedWindow[] {
    const windows: KeyedWindow[] = [
      { key: `${this.keyPrefix}:{${portalId}}:window`, ...this.windowOf(portalId) },
    ];
    if (kind === 'search' && this.options.searchWindow) {
      windows.push({ key: `${this.keyPrefix}:{${portalId}}:search`, ...this.options.searchWindow });
    }
    return windows;
  }

  private dailyFor(portalId: string): { key: string; max: number } | undefined {
    if (!this.options.dailyMax) return undefined;
    const day = new Date().toISOString().slice(0, 10);
    return { key: `${this.keyPrefix}:{${portalId}}:daily:${day}`, max: this.options.dailyMax };
  }

  private lease(leaseId: string, windows: KeyedWindow[]): RateLimitLease {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        // A failed release only means the slot expires after leaseTtlMs instead: never throw.
        this.store.release(leaseId, windows).catch(() => undefined);
      },
    };
  }
}

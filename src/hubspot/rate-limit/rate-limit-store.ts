import type { WindowLimit } from './rate-limit-options';

/** A window a request must fit in, under a storage key. */
export interface KeyedWindow extends WindowLimit {
  key: string;
}

export interface AcquireSpec {
  /** Identifies the slot taken in every window (release uses it). */
  leaseId: string;
  windows: KeyedWindow[];
  /** Counter key of the current UTC day and its cap; omitted when there is no daily cap. */
  daily?: { key: string; max: number };
  /** Key of the portal's pause flag (set after a 429). */
  pauseKey: string;
  /** A slot not released within this many ms frees itself (crashed holder). */
  leaseTtlMs: number;
}

export type AcquireResult =
  | { granted: true }
  | { granted: false; reason: 'window' | 'paused'; waitMs: number }
  | { granted: false; reason: 'daily' };

/**
 * Storage of the per-portal sliding windows, shared by every process using the same store
 * (memory: one process; Redis: all processes on that Redis).
 *
 * A slot lives from `tryAcquire` until `intervalMs` after `release` (the response arrived): HubSpot
 * counted the request somewhere in between, so no rolling window on HubSpot's side can ever see
 * more requests than we admitted, whatever the network latency.
 */
export interface RateLimitStore {
  tryAcquire(spec: AcquireSpec): Promise<AcquireResult>;
  /** Marks the slot's request as answered: it expires `intervalMs` from now. */
  release(leaseId: string, windows: KeyedWindow[]): Promise<void>;
  /** Blocks the portal until `ms` from now (after a 429). */
  pause(pauseKey: string, ms: number): Promise<void>;
  /**
   * HubSpot said only `remaining` of `max` are left: when it counts more requests than we hold
   * slots for (another client on the same app and portal), fill the gap with slots that expire
   * after one interval.
   */
  sync(window: KeyedWindow, remaining: number): Promise<void>;
  /** Marks the day as used up (HubSpot reported 0 daily requests remaining). */
  exhaustDaily(daily: { key: string; max: number }): Promise<void>;
}

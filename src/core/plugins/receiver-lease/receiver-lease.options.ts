/** Injection token of the ReceiverLeaseOptions. */
export const RECEIVER_LEASE_OPTIONS = Symbol('RECEIVER_LEASE_OPTIONS');

/**
 * Timing of the receiver leases. A holder renews every `renewEveryMs`; a crashed holder's
 * accounts move to another process within `ttlMs` (+ one renewal period).
 */
export interface ReceiverLeaseOptions {
  ttlMs: number;
  renewEveryMs: number;
}

/** A lease of `seconds`, renewed every third of it. */
export function receiverLeaseOptions(seconds: number): ReceiverLeaseOptions {
  const ttlMs = Math.round(seconds * 1000);
  return { ttlMs, renewEveryMs: Math.max(100, Math.floor(ttlMs / 3)) };
}

/** What every queue event carries. */
export interface QueueEventBase {
  queue: string;
  jobId: string;
  orderingKey?: string;
  /** 1 for the first run; for `onEnqueued`, 0. */
  attempt: number;
}

/**
 * Observability hooks called by both drivers (a metrics module implements them with prom-client).
 * Every method is optional and must be cheap and synchronous; errors thrown here are swallowed.
 */
export interface QueueObserver {
  onEnqueued?(event: QueueEventBase): void;
  /** `lagMs`: time between the job becoming runnable (enqueued or retry due) and its start. */
  onStarted?(event: QueueEventBase & { lagMs: number }): void;
  onCompleted?(event: QueueEventBase & { durationMs: number }): void;
  /** Every failed attempt, before the retry or dead-letter decision is reported. */
  onFailed?(event: QueueEventBase & { durationMs: number; error: unknown }): void;
  onRetried?(event: QueueEventBase & { delayMs: number; error: unknown }): void;
  onDeadLettered?(event: QueueEventBase & { reason: string; permanent: boolean }): void;
}

type EventOf<K extends keyof QueueObserver> = Parameters<NonNullable<QueueObserver[K]>>[0];

/** Calls an observer hook without ever letting it break the queue. */
export function notify<K extends keyof QueueObserver>(
  observer: QueueObserver | undefined,
  hook: K,
  event: EventOf<K>,
): void {
  const fn = observer?.[hook] as ((e: EventOf<K>) => void) | undefined;
  if (!fn) return;
  try {
    fn.call(observer, event);
  } catch {
    // An observer must never break job processing.
  }
}

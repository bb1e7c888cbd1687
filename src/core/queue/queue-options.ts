import { DEFAULT_BACKOFF } from './backoff';
import type { BackoffOptions, QueueHandlerOptions } from './job-queue';
import type { QueueObserver } from './queue-observer';

/** Options shared by both drivers. */
export interface QueueDriverOptions {
  /** Attempts before a job is dead-lettered, unless the queue or the job says otherwise. */
  defaultMaxAttempts?: number;
  /** Jobs of one queue that may run at once, unless the queue says otherwise. */
  defaultConcurrency?: number;
  backoff?: Partial<BackoffOptions>;
  observer?: QueueObserver;
  /** Where unexpected internal errors are reported (default: console.error). */
  onError?: (error: unknown, context: string) => void;
}

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_CONCURRENCY = 16;
export const MAX_QUEUE_NAME_LENGTH = 100;
export const MAX_ID_LENGTH = 255;

/** The settings one queue runs with, after defaults. */
export interface ResolvedQueueSettings {
  concurrency: number;
  maxAttempts: number;
  backoff: BackoffOptions;
}

export function resolveQueueSettings(
  driver: QueueDriverOptions,
  queue: QueueHandlerOptions = {},
): ResolvedQueueSettings {
  const concurrency = queue.concurrency ?? driver.defaultConcurrency ?? DEFAULT_CONCURRENCY;
  const maxAttempts = queue.maxAttempts ?? driver.defaultMaxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`queue concurrency must be a positive integer, got ${concurrency}`);
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  return {
    concurrency,
    maxAttempts,
    backoff: { ...DEFAULT_BACKOFF, ...driver.backoff, ...queue.backoff },
  };
}

/** Validates what a caller passes to `enqueue`; throws a clear error before anything is stored. */
export function validateEnqueue(
  queue: string,
  orderingKey: string | undefined,
  jobId: string | undefined,
  maxAttempts: number | undefined,
): void {
  if (!queue || queue.length > MAX_QUEUE_NAME_LENGTH) {
    throw new RangeError(`queue name must have 1..${MAX_QUEUE_NAME_LENGTH} characters`);
  }
  if (orderingKey !== undefined && (orderingKey === '' || orderingKey.length > MAX_ID_LENGTH)) {
    throw new RangeError(`orderingKey must have 1..${MAX_ID_LENGTH} characters`);
  }
  if (jobId !== undefined && (jobId === '' || jobId.length > MAX_ID_LENGTH)) {
    throw new RangeError(`jobId must have 1..${MAX_ID_LENGTH} characters`);
  }
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
    throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
}

export function defaultOnError(error: unknown, context: string): void {
  console.error(`[queue] ${context}:`, error);
}

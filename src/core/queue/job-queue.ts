/**
 * The one queue port the whole gateway uses. Two drivers implement it: an embedded driver on the
 * gateway's own database (default) and a Bull driver on Redis (when REDIS_URL is set).
 *
 * Guarantees of every driver:
 * - at-least-once execution: a job is only removed after its handler resolved;
 * - retries with exponential backoff and jitter, honouring `RetryableError.retryAfterMs`;
 *   a `PermanentError` or the last allowed attempt moves the job to the dead-letter table;
 * - per-key ordering: jobs with the same `orderingKey` run one at a time in enqueue order
 *   (a failing head job blocks its key until it succeeds or is dead-lettered), while different
 *   keys run concurrently;
 * - graceful stop: no new jobs are taken; in-flight ones finish (or are released for a later run).
 *
 * `jobId` dedupe holds while the job is known to the queue: waiting, delayed, active or retrying.
 * Once it completed or was dead-lettered, the same id may be enqueued again.
 */

export interface JobOptions {
  /** Jobs sharing this key run one at a time, in enqueue order (e.g. one conversation). */
  orderingKey?: string;
  /**
   * Deduplication: a second enqueue with the same id while the first is known is a no-op.
   * Make ids unique across queues (the embedded driver dedupes across queues, Bull per queue).
   */
  jobId?: string;
  /** Overrides the queue's default maximum number of attempts. */
  maxAttempts?: number;
}

/** Exponential backoff with full jitter: delay = random(0, min(maxMs, baseMs * 2^(attempt-1))). */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export interface JobContext {
  jobId: string;
  queue: string;
  orderingKey?: string;
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  /**
   * Aborted when the queue stops and gives up waiting for this job (it is released and will run
   * again later). Long handlers should pass it to their I/O.
   */
  signal: AbortSignal;
}

export type JobHandler<TPayload> = (payload: TPayload, context: JobContext) => Promise<void>;

export interface QueueHandlerOptions {
  /** Jobs of this queue that may run at once (across ordering keys). */
  concurrency?: number;
  maxAttempts?: number;
  /** Overrides the driver's default backoff for this queue. */
  backoff?: Partial<BackoffOptions>;
}

export interface QueueStats {
  waiting: number;
  active: number;
  delayed: number;
  deadLettered: number;
  /** Age in ms of the oldest job that is ready to run but not started (queue lag), else 0. */
  oldestWaitingMs: number;
}

export abstract class JobQueue {
  /** Registers the handler of a queue; exactly one per queue name, before `start()`. */
  abstract registerHandler<TPayload>(
    queue: string,
    handler: JobHandler<TPayload>,
    options?: QueueHandlerOptions,
  ): void;

  /** Durably stores a job; resolves with its id once it survives a crash. */
  abstract enqueue<TPayload>(
    queue: string,
    payload: TPayload,
    options?: JobOptions,
  ): Promise<string>;

  /** Starts dispatching. Enqueueing works before `start()` too; jobs then wait for it. */
  abstract start(): Promise<void>;

  /** Stops taking jobs and waits for in-flight ones (up to `timeoutMs`), releasing the rest. */
  abstract stop(timeoutMs?: number): Promise<void>;

  /** Counts of one queue, or of all queues together when `queue` is omitted. */
  abstract stats(queue?: string): Promise<QueueStats>;

  /** Puts a dead-lettered job back on its queue; false when it is unknown or already replayed. */
  abstract replayDeadLetter(deadLetterId: string): Promise<boolean>;
}

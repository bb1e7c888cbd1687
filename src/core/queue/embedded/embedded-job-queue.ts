import { randomUUID } from 'node:crypto';
import { MoreThan, type DataSource } from 'typeorm';
import { isRetryable, retryAfterOf } from '../../adapter/errors';
import { backoffDelayMs } from '../backoff';
import { preparedSqlOf } from '../../persistence/prepared-sql';
import { DeadLetterEntity } from '../dead-letter.entity';
import { DeadLetterStore, toDeadLetterRow } from '../dead-letter-store';
import { describeError } from '../describe-error';
import {
  JobQueue,
  type JobHandler,
  type JobOptions,
  type QueueHandlerOptions,
  type QueueStats,
} from '../job-queue';
import { notify } from '../queue-observer';
import {
  defaultOnError,
  resolveQueueSettings,
  validateEnqueue,
  type QueueDriverOptions,
} from '../queue-options';
import { Fifo } from './fifo';
import { JobStore, REPLAY_JOB_ID_PREFIX, replayJobIdOf } from './job-store';
import { QueueJobEntity } from './queue-job.entity';
import { QueueLease } from './queue-lease';
import { MinHeap } from './min-heap';
import { QueueRuntime, type MemJob } from './mem-job';

export interface EmbeddedJobQueueOptions extends QueueDriverOptions {
  /** Lifetime of the single-process lease without heartbeat (default 15 s). */
  leaseTtlMs?: number;
  leaseHeartbeatMs?: number;
  /** Name of the lease row; one per database (default 'embedded'). */
  leaseName?: string;
}

const LOAD_PAGE = 5000;
const MAX_TIMER_MS = 2_147_483_647;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/**
 * The default driver: jobs live in the gateway's own database (`queue_jobs`), dispatch state
 * lives in memory. The database is a durable log: a row is inserted before `enqueue` resolves
 * and deleted once the job completed or was dead-lettered; both go through group commit
 * (JobStore), so there is no database round-trip per dispatch decision.
 *
 * Per-key ordering: jobs of one ordering key form a FIFO lane in enqueue order (`seq`); only the
 * head is ever ready or running, and the next one becomes ready only after the head's deletion
 * (or dead letter) is committed — so after a crash at most the job in flight runs again, never
 * an earlier one after a later one. A retrying head stays at the head, blocking its key.
 *
 * One process per database: a lease row with heartbeat (QueueLease) makes a second process fail
 * with a clear error. Several gateway processes need REDIS_URL (Bull driver).
 */
export class EmbeddedJobQueue extends JobQueue {
  private readonly runtimes = new Map<string, QueueRuntime>();
  private readonly jobs = new Map<string, MemJob>();
  private readonly enqueuing = new Map<string, Promise<string>>();
  private readonly delayedJobs = new MinHeap<MemJob>((job) => job.runAt);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly store: JobStore;
  private readonly deadLetters: DeadLetterStore;
  private readonly onError: (error: unknown, context: string) => void;
  private delayTimer?: NodeJS.Timeout;
  private delayTimerAt = Infinity;
  private lease?: QueueLease;
  private opening?: Promise<void>;
  private closing?: Promise<void>;
  private running = false;
  private nextSeq = 1;
  /** Bumped at each stop: completions of released jobs from an older generation are ignored. */
  private generation = 0;
  /** Aborted when a stop gives up on the jobs still running (one signal per generation). */
  private abort = new AbortController();

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: EmbeddedJobQueueOptions = {},
  ) {
    super();
    this.onError = options.onError ?? defaultOnError;
    this.store = new JobStore(dataSource, this.onError);
    this.deadLetters = new DeadLetterStore(dataSource);
  }

  registerHandler<TPayload>(
    queue: string,
    handler: JobHandler<TPayload>,
    options?: QueueHandlerOptions,
  ): void {
    const runtime = this.runtime(queue);
    if (runtime.handler) throw new Error(`queue "${queue}" already has a handler`);
    runtime.settings = resolveQueueSettings(this.options, options);
    runtime.handler = handler as JobHandler<unknown>;
    this.pump(runtime);
  }

  async enqueue<TPayload>(
    queue: string,
    payload: TPayload,
    options: JobOptions = {},
  ): Promise<string> {
    validateEnqueue(queue, options.orderingKey, options.jobId, options.maxAttempts);
    const json = JSON.stringify(payload) ?? 'null';
    await this.open();
    const id = options.jobId ?? randomUUID();
    if (options.jobId !== undefined) {
      if (this.jobs.has(id)) return id;
      const pending = this.enqueuing.get(id);
      if (pending) return pending;
    }
    const now = Date.now();
    const row = new QueueJobEntity();
    row.id = id;
    row.queue = queue;
    row.orderingKey = options.orderingKey ?? null;
    row.seq = this.nextSeq++;
    row.payload = json;
    row.attempts = 0;
    row.maxAttempts = options.maxAttempts ?? null;
    row.runAt = now;
    row.createdAt = now;
    row.lastError = null;
    const generation = this.generation;
    const done = this.store.submit({ kind: 'insert', row }).then(() => {
      this.enqueuing.delete(id);
      if (generation === this.generation) this.addJob(this.toMemJob(row), now);
      notify(this.options.observer, 'onEnqueued', {
        queue,
        jobId: id,
        orderingKey: options.orderingKey,
        attempt: 0,
      });
      return id;
    });
    this.enqueuing.set(id, done);
    done.catch(() => this.enqueuing.delete(id));
    return done;
  }

  async start(): Promise<void> {
    await this.open();
    this.running = true;
    for (const runtime of this.runtimes.values()) this.pump(runtime);
  }

  async stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
    this.running = false;
    if (this.closing) return this.closing;
    if (!this.opening) return;
    this.closing = this.close(timeoutMs).finally(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  async stats(queue?: string): Promise<QueueStats> {
    await this.open();
    const runtimes = queue
      ? [this.runtimes.get(queue)].filter((r): r is QueueRuntime => r !== undefined)
      : [...this.runtimes.values()];
    const now = Date.now();
    const stats: QueueStats = {
      waiting: 0,
      active: 0,
      delayed: 0,
      deadLettered: 0,
      oldestWaitingMs: 0,
    };
    for (const runtime of runtimes) {
      stats.waiting += runtime.total - runtime.active - runtime.delayed;
      stats.active += runtime.active;
      stats.delayed += runtime.delayed;
      const oldest = runtime.ready.peek();
      if (oldest) stats.oldestWaitingMs = Math.max(stats.oldestWaitingMs, now - oldest.readyAt);
    }
    stats.deadLettered = await this.deadLetters.countOpen(queue);
    return stats;
  }

  async replayDeadLetter(deadLetterId: string): Promise<boolean> {
    await this.open();
    const letter = await this.deadLetters.find(deadLetterId);
    if (!letter || letter.replayedAt !== null) return false;
    const now = Date.now();
    const row = new QueueJobEntity();
    row.id = replayJobIdOf(deadLetterId);
    row.queue = letter.queue;
    row.orderingKey = letter.orderingKey;
    row.seq = this.nextSeq++;
    row.payload = letter.payload;
    row.attempts = 0;
    row.maxAttempts = null;
    row.runAt = now;
    row.createdAt = now;
    row.lastError = null;
    const generation = this.generation;
    const applied = await this.store.submit({ kind: 'replay', deadLetterId, row });
    if (applied && generation === this.generation && !this.jobs.has(row.id)) {
      this.addJob(this.toMemJob(row), now);
    }
    return applied;
  }

  // --- opening and closing -------------------------------------------------------------------

  private async open(): Promise<void> {
    while (this.closing) await this.closing;
    if (!this.opening) {
      this.opening = this.doOpen().catch((error: unknown) => {
        this.opening = undefined;
        throw error;
      });
    }
    return this.opening;
  }

  private async doOpen(): Promise<void> {
    const lease = new QueueLease(this.dataSource, this.options.leaseName ?? 'embedded', {
      ttlMs: this.options.leaseTtlMs ?? 15_000,
      heartbeatMs: this.options.leaseHeartbeatMs,
      onLost: (error) => {
        this.running = false;
        this.onError(error, 'embedded queue stopped dispatching');
      },
    });
    await lease.acquire();
    this.lease = lease;
    try {
      await this.dropDeadLetteredJobs();
      await this.closeReplayedLetters();
      await this.load();
    } catch (error) {
      await lease.release().catch(() => undefined);
      this.lease = undefined;
      this.resetMemory();
      throw error;
    }
  }

  /**
   * A dead letter and its job's deletion are two statements on SQLite (job-store.ts): a crash
   * between them leaves the job's row next to its letter. That job ended; running it again would
   * repeat its effects, and a second failure would leave a second letter for an operator to
   * replay. The letter names the very job (its id and its enqueue time: a later job under the
   * same caller-chosen id was enqueued later), so such rows are dropped before loading.
   */
  private async dropDeadLetteredJobs(): Promise<void> {
    const sql = preparedSqlOf(this.dataSource);
    await sql.run(
      `DELETE FROM ${sql.table(QueueJobEntity)} WHERE (id, queue, created_at) IN ` +
        `(SELECT job_id, queue, enqueued_at FROM ${sql.table(DeadLetterEntity)} ` +
        `WHERE driver = 'embedded')`,
      [],
    );
  }

  /**
   * A replay on SQLite inserts its job, then claims the letter (job-store.ts): after a crash
   * between the two, the job is pending (and runs) while its letter still looks open. Such a
   * letter is marked replayed, so that it is not replayed a second time.
   */
  private async closeReplayedLetters(): Promise<void> {
    const sql = preparedSqlOf(this.dataSource);
    const replayJobId = `'${REPLAY_JOB_ID_PREFIX}' || id`;
    await sql.run(
      `UPDATE ${sql.table(DeadLetterEntity)} SET replayed_at = ?, replay_job_id = ${replayJobId} ` +
        `WHERE replayed_at IS NULL AND driver = 'embedded' ` +
        `AND ${replayJobId} IN (SELECT id FROM ${sql.table(QueueJobEntity)})`,
      [Date.now()],
    );
  }

  /** Loads every pending row, in enqueue order, into the in-memory dispatch state. */
  private async load(): Promise<void> {
    const repo = this.dataSource.getRepository(QueueJobEntity);
    let after = -1;
    for (;;) {
      const rows = await repo.find({
        where: { seq: MoreThan(after) },
        order: { seq: 'ASC' },
        take: LOAD_PAGE,
      });
      for (const row of rows) {
        const job = this.toMemJob(row);
        after = job.seq;
        if (!this.jobs.has(job.id)) this.addJob(job, Math.max(job.createdAt, job.runAt));
      }
      if (rows.length < LOAD_PAGE) break;
    }
    this.nextSeq = Math.max(this.nextSeq, after + 1);
  }

  private async close(timeoutMs: number): Promise<void> {
    await this.opening?.catch(() => undefined);
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
      clearTimeout(timer);
    }
    // Jobs still running are released: their rows stay, they run again after the next start.
    this.abort.abort(new Error('job queue stopped'));
    this.abort = new AbortController();
    this.generation += 1;
    await this.store.drain();
    try {
      await this.lease?.release();
    } catch (error) {
      this.onError(error, 'releasing the embedded queue lease');
    }
    this.lease = undefined;
    this.resetMemory();
    this.opening = undefined;
  }

  private resetMemory(): void {
    this.jobs.clear();
    this.delayedJobs.clear();
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    this.delayTimerAt = Infinity;
    for (const [name, runtime] of this.runtimes) {
      const fresh = new QueueRuntime(name, runtime.settings);
      fresh.handler = runtime.handler;
      this.runtimes.set(name, fresh);
    }
  }

  // --- dispatch ---------------------------------------------------------------------------

  private runtime(queue: string): QueueRuntime {
    let runtime = this.runtimes.get(queue);
    if (!runtime) {
      runtime = new QueueRuntime(queue, resolveQueueSettings(this.options));
      this.runtimes.set(queue, runtime);
    }
    return runtime;
  }

  private toMemJob(row: QueueJobEntity): MemJob {
    return {
      id: row.id,
      queue: row.queue,
      orderingKey: row.orderingKey ?? undefined,
      seq: Number(row.seq),
      payload: row.payload,
      attempts: row.attempts,
      maxAttempts: row.maxAttempts ?? undefined,
      createdAt: Number(row.createdAt),
      runAt: Number(row.runAt),
      readyAt: Number(row.createdAt),
      state: 'queued',
    };
  }

  private addJob(job: MemJob, readySince: number): void {
    this.jobs.set(job.id, job);
    const runtime = this.runtime(job.queue);
    runtime.total += 1;
    if (job.orderingKey === undefined) return this.activate(runtime, job, readySince);
    let lane = runtime.lanes.get(job.orderingKey);
    if (!lane) {
      lane = { jobs: new Fifo<MemJob>() };
      runtime.lanes.set(job.orderingKey, lane);
    }
    lane.jobs.push(job);
    if (lane.jobs.size === 1) this.activate(runtime, job, readySince);
  }

  /** Makes a job that may run (a lane head or a job without key) ready, or delayed until due. */
  private activate(runtime: QueueRuntime, job: MemJob, readySince: number): void {
    const now = Date.now();
    if (job.runAt > now) {
      job.state = 'delayed';
      runtime.delayed += 1;
      this.delayedJobs.push(job);
      this.armTimer();
      return;
    }
    job.state = 'ready';
    job.readyAt = Math.max(readySince, job.runAt);
    runtime.ready.push(job);
    this.pump(runtime);
  }

  private armTimer(): void {
    const next = this.delayedJobs.peek();
    if (!next || (this.delayTimer && next.runAt >= this.delayTimerAt)) return;
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.delayTimerAt = next.runAt;
    const wait = Math.min(Math.max(0, next.runAt - Date.now()), MAX_TIMER_MS);
    this.delayTimer = setTimeout(() => this.onTimer(), wait);
    this.delayTimer.unref();
  }

  private onTimer(): void {
    this.delayTimer = undefined;
    this.delayTimerAt = Infinity;
    const now = Date.now();
    for (
      let job = this.delayedJobs.peek();
      job && job.runAt <= now;
      job = this.delayedJobs.peek()
    ) {
      this.delayedJobs.pop();
      if (job.state !== 'delayed') continue;
      const runtime = this.runtime(job.queue);
      runtime.delayed -= 1;
      this.activate(runtime, job, job.runAt);
    }
    this.armTimer();
  }

  private pump(runtime: QueueRuntime): void {
    const handler = runtime.handler;
    if (!this.running || !handler) return;
    while (runtime.running < runtime.settings.concurrency) {
      const job = runtime.ready.shift();
      if (!job) return;
      this.run(runtime, job, handler);
    }
  }

  private run(runtime: QueueRuntime, job: MemJob, handler: JobHandler<unknown>): void {
    job.state = 'active';
    job.attempts += 1;
    runtime.running += 1;
    runtime.active += 1;
    const started = Date.now();
    const generation = this.generation;
    const maxAttempts = job.maxAttempts ?? runtime.settings.maxAttempts;
    const event = {
      queue: job.queue,
      jobId: job.id,
      orderingKey: job.orderingKey,
      attempt: job.attempts,
    };
    notify(this.options.observer, 'onStarted', { ...event, lagMs: started - job.readyAt });
    const execution = (async () => {
      const payload: unknown = JSON.parse(job.payload);
      await handler(payload, { ...event, maxAttempts, signal: this.abort.signal });
    })().then(
      () => this.succeeded(runtime, job, started, generation),
      (error: unknown) => this.failed(runtime, job, started, generation, maxAttempts, error),
    );
    this.inFlight.add(execution);
    void execution.finally(() => this.inFlight.delete(execution));
  }

  private succeeded(runtime: QueueRuntime, job: MemJob, started: number, generation: number) {
    if (generation !== this.generation) return;
    runtime.running -= 1;
    job.state = 'committing';
    notify(this.options.observer, 'onCompleted', {
      queue: job.queue,
      jobId: job.id,
      orderingKey: job.orderingKey,
      attempt: job.attempts,
      durationMs: Date.now() - started,
    });
    this.pump(runtime);
    void this.store.submit({ kind: 'delete', id: job.id }).then(() => this.finish(job, generation));
  }

  private failed(
    runtime: QueueRuntime,
    job: MemJob,
    started: number,
    generation: number,
    maxAttempts: number,
    error: unknown,
  ): void {
    if (generation !== this.generation) return;
    runtime.running -= 1;
    const observer = this.options.observer;
    const event = {
      queue: job.queue,
      jobId: job.id,
      orderingKey: job.orderingKey,
      attempt: job.attempts,
    };
    notify(observer, 'onFailed', { ...event, durationMs: Date.now() - started, error });
    const lastError = describeError(error);
    const permanent = !isRetryable(error);
    if (permanent || job.attempts >= maxAttempts) {
      job.state = 'committing';
      const letter = toDeadLetterRow({
        queue: job.queue,
        jobId: job.id,
        orderingKey: job.orderingKey,
        payload: job.payload,
        attempts: job.attempts,
        lastError,
        permanent,
        driver: 'embedded',
        enqueuedAt: job.createdAt,
      });
      this.pump(runtime);
      void this.store.submit({ kind: 'deadLetter', id: job.id, letter }).then(() => {
        notify(observer, 'onDeadLettered', { ...event, reason: lastError, permanent });
        this.finish(job, generation);
      });
      return;
    }
    const delayMs = backoffDelayMs(job.attempts, runtime.settings.backoff, retryAfterOf(error));
    job.runAt = Date.now() + delayMs;
    runtime.active -= 1;
    notify(observer, 'onRetried', { ...event, delayMs, error });
    // Write-behind: a crash before this commits only loses the attempt count and the delay.
    void this.store.submit({
      kind: 'retry',
      id: job.id,
      attempts: job.attempts,
      runAt: job.runAt,
      lastError,
    });
    this.activate(runtime, job, job.runAt);
    this.pump(runtime);
  }

  /** The job's row is gone: forget it and let the next job of its key become ready. */
  private finish(job: MemJob, generation: number): void {
    if (generation !== this.generation) return;
    const runtime = this.runtime(job.queue);
    this.jobs.delete(job.id);
    runtime.total -= 1;
    runtime.active -= 1;
    if (job.orderingKey !== undefined) {
      const lane = runtime.lanes.get(job.orderingKey);
      if (lane) {
        lane.jobs.shift();
        const next = lane.jobs.peek();
        if (next) this.activate(runtime, next, Date.now());
        else runtime.lanes.delete(job.orderingKey);
      }
    }
    this.pump(runtime);
  }
}

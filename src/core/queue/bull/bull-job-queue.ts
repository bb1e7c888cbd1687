import { randomUUID } from 'node:crypto';
import Bull, { type Job, type Queue, type QueueOptions } from 'bull';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { isRetryable, retryAfterOf } from '../../adapter/errors';
import { backoffDelayMs } from '../backoff';
import { DeadLetterStore } from '../dead-letter-store';
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
  type ResolvedQueueSettings,
} from '../queue-options';
import { LaneKeys } from './lane-keys';
import { ADVANCE, ENQUEUE_MANY, RESCHEDULE } from './lane-scripts';

export interface BullJobQueueOptions extends QueueDriverOptions {
  redisUrl: string;
  /** Prefix of every Redis key (Bull's and the lanes'); default 'gateway'. */
  prefix?: string;
  /** Bull's lock and stall settings: a crashed worker's lane is taken over after these. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Jobs one activation runs before yielding its slot to other lanes (fairness). */
  jobsPerActivation?: number;
}

interface LaneData {
  lane: string;
}

interface PendingEnqueue {
  queue: string;
  id: string;
  json: string;
  options: JobOptions;
  resolve: (id: string) => void;
  reject: (error: unknown) => void;
}

const ENQUEUE_CHUNK = 500;
const ACTIVATION_RETRY_MS = 1000;

interface RegisteredQueue {
  handler: JobHandler<unknown>;
  settings: ResolvedQueueSettings;
  processing: boolean;
}

interface HeadJob {
  id: string;
  payload: string;
  orderingKey?: string;
  createdAt: number;
  maxAttempts?: number;
  attempt: number;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

type Advance = HeadJob | 'stale' | 'empty' | 'more';

function parseAdvance(reply: unknown): Advance {
  if (!Array.isArray(reply)) throw new Error('unexpected ADVANCE reply');
  if (reply[0] === 'stale' || reply[0] === 'empty' || reply[0] === 'more') return reply[0];
  const [, id, payload, key, created, max, attempt] = reply.map(String);
  return {
    id,
    payload,
    orderingKey: key === '' ? undefined : key,
    createdAt: Number(created),
    maxAttempts: max === '' ? undefined : Number(max),
    attempt: Number(attempt),
  };
}

/**
 * The Redis driver for several gateway processes. Bull has no groups, so per-key ordering is
 * built on top of it with "lanes": each ordering key has a FIFO list of job ids in Redis and at
 * most one owner, a Bull job (activation) that processes the head, then the next, until the list
 * is empty. All lane steps are Lua scripts (lane-scripts.ts), hence atomic:
 * - enqueue appends to the list and, when the lane had no owner, makes a new activation the
 *   owner; the caller then adds that Bull job. Bull's concurrency thus bounds the lanes running
 *   at once, while one lane never runs two jobs at a time.
 * - a retry hands the lane to a new activation added with the backoff delay: the failing head
 *   stays at the head, blocking its key, and Bull's delayed set wakes it up.
 * - a crash leaves the activation active in Bull; Bull's stalled-job check (lockDuration) puts
 *   it back to wait and another worker resumes the lane at its head: at-least-once.
 * Jobs without ordering key get a lane of their own. Dead letters go to the database table
 * shared with the embedded driver.
 */
export class BullJobQueue extends JobQueue {
  private readonly redis: Redis;
  private readonly bullQueues = new Map<string, Queue<LaneData>>();
  private readonly registered = new Map<string, RegisteredQueue>();
  private readonly activations = new Set<Promise<void>>();
  private readonly deadLetters: DeadLetterStore;
  private readonly prefix: string;
  private readonly onError: (error: unknown, context: string) => void;
  private abort = new AbortController();
  private started = false;
  private connecting?: Promise<void>;
  private enqueueBatch: PendingEnqueue[] = [];
  private flushingEnqueues = false;
  private stopping = false;

  constructor(
    dataSource: DataSource,
    private readonly options: BullJobQueueOptions,
  ) {
    super();
    this.prefix = options.prefix ?? 'gateway';
    this.onError = options.onError ?? defaultOnError;
    this.deadLetters = new DeadLetterStore(dataSource);
    this.redis = new Redis(options.redisUrl, { enableAutoPipelining: true, lazyConnect: true });
    this.redis.on('error', (error) => this.onError(error, 'redis'));
  }

  registerHandler<TPayload>(
    queue: string,
    handler: JobHandler<TPayload>,
    options?: QueueHandlerOptions,
  ): void {
    if (this.registered.has(queue)) throw new Error(`queue "${queue}" already has a handler`);
    const entry: RegisteredQueue = {
      handler: handler as JobHandler<unknown>,
      settings: resolveQueueSettings(this.options, options),
      processing: false,
    };
    this.registered.set(queue, entry);
    if (this.started) this.process(queue, entry);
  }

  async enqueue<TPayload>(
    queue: string,
    payload: TPayload,
    options: JobOptions = {},
  ): Promise<string> {
    validateEnqueue(queue, options.orderingKey, options.jobId, options.maxAttempts);
    return this.enqueueRaw(queue, JSON.stringify(payload) ?? 'null', options);
  }

  async start(): Promise<void> {
    await this.connect();
    this.stopping = false;
    this.started = true;
    for (const [queue, entry] of this.registered) {
      await this.sweepLostOwners(queue);
      this.process(queue, entry);
    }
  }

  async stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
    this.stopping = true;
    this.started = false;
    const queues = [...this.bullQueues.values()];
    await Promise.all(queues.map((q) => q.pause(true, true).catch(() => undefined)));
    if (this.activations.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.allSettled([...this.activations]), timeout]);
      clearTimeout(timer);
    }
    // Activations still running are released: Bull sees them stalled once their lock expires
    // and another worker (or this one after restart) resumes their lanes at the head.
    this.abort.abort(new Error('job queue stopped'));
    this.abort = new AbortController();
    await Promise.all(queues.map((q) => q.close(true).catch(() => undefined)));
    this.bullQueues.clear();
    for (const entry of this.registered.values()) entry.processing = false;
    if (this.redis.status === 'ready' || this.redis.status === 'connecting') {
      await this.redis.quit().catch(() => undefined);
    }
  }

  async stats(queue?: string): Promise<QueueStats> {
    await this.connect();
    const names = queue
      ? [queue]
      : [...new Set([...this.registered.keys(), ...this.bullQueues.keys()])];
    const stats: QueueStats = {
      waiting: 0,
      active: 0,
      delayed: 0,
      deadLettered: 0,
      oldestWaitingMs: 0,
    };
    const now = Date.now();
    for (const name of names) {
      const bull = this.bullQueue(name);
      const keys = new LaneKeys(this.prefix, name);
      const [pending, active, delayed, oldest] = await Promise.all([
        this.redis.get(keys.pending),
        bull.getActiveCount(),
        bull.getDelayedCount(),
        bull.getJobs(['waiting'], 0, 0, true),
      ]);
      stats.active += active;
      stats.delayed += delayed;
      stats.waiting += Math.max(0, Number(pending ?? 0) - active - delayed);
      const head = oldest[0];
      if (head) stats.oldestWaitingMs = Math.max(stats.oldestWaitingMs, now - head.timestamp);
    }
    stats.deadLettered = await this.deadLetters.countOpen(queue);
    return stats;
  }

  async replayDeadLetter(deadLetterId: string): Promise<boolean> {
    const letter = await this.deadLetters.find(deadLetterId);
    if (!letter || letter.replayedAt !== null) return false;
    const jobId = randomUUID();
    if (!(await this.deadLetters.claimReplay(deadLetterId, jobId))) return false;
    try {
      await this.enqueueRaw(letter.queue, letter.payload, {
        jobId,
        orderingKey: letter.orderingKey ?? undefined,
      });
    } catch (error) {
      await this.deadLetters.unclaimReplay(deadLetterId);
      throw error;
    }
    return true;
  }

  // --- internals -----------------------------------------------------------------------

  private connect(): Promise<void> {
    if (!this.connecting || this.redis.status === 'end') this.connecting = this.redis.connect();
    return this.connecting;
  }

  private bullQueue(queue: string): Queue<LaneData> {
    let bull = this.bullQueues.get(queue);
    if (!bull) {
      const options: QueueOptions = {
        prefix: this.prefix,
        settings: {
          lockDuration: this.options.lockDurationMs ?? 30_000,
          stalledInterval: this.options.stalledIntervalMs ?? 30_000,
          // A stalled activation is always resumed, never failed: the lane must go on.
          maxStalledCount: Number.MAX_SAFE_INTEGER,
        },
        // An activation fails only when Redis or the database failed under it (handler errors
        // are handled inside); Bull then retries it with the same id, which still owns the lane.
        defaultJobOptions: {
          removeOnComplete: true,
          removeOnFail: true,
          attempts: Number.MAX_SAFE_INTEGER,
          backoff: { type: 'fixed', delay: ACTIVATION_RETRY_MS },
        },
      };
      bull = new Bull<LaneData>(queue, this.options.redisUrl, options);
      bull.on('error', (error) => this.onError(error, `bull queue "${queue}"`));
      this.bullQueues.set(queue, bull);
    }
    return bull;
  }

  /**
   * Enqueues made in the same tick share one ENQUEUE_MANY round trip and one `addBulk` of the
   * lane activations they create; each resolves once its job and its lane's owner are stored.
   */
  private enqueueRaw(queue: string, json: string, options: JobOptions): Promise<string> {
    const id = options.jobId ?? randomUUID();
    return new Promise<string>((resolve, reject) => {
      this.enqueueBatch.push({ queue, id, json, options, resolve, reject });
      if (this.enqueueBatch.length === 1 && !this.flushingEnqueues) {
        setImmediate(() => void this.flushEnqueues());
      }
    });
  }

  /** One flush at a time, so jobs reach Redis in the order `enqueue` was called. */
  private async flushEnqueues(): Promise<void> {
    if (this.flushingEnqueues) return;
    this.flushingEnqueues = true;
    while (this.enqueueBatch.length > 0) {
      const chunk = this.enqueueBatch.splice(0, ENQUEUE_CHUNK);
      try {
        await this.storeEnqueues(chunk);
      } catch (error) {
        for (const item of chunk) item.reject(error);
      }
    }
    this.flushingEnqueues = false;
  }

  private async storeEnqueues(chunk: PendingEnqueue[]): Promise<void> {
    await this.connect();
    const args: (string | number)[] = [Date.now()];
    const lanes = chunk.map((item) => LaneKeys.laneOf(item.id, item.options.orderingKey));
    chunk.forEach((item, n) => {
      args.push(
        new LaneKeys(this.prefix, item.queue).base,
        item.id,
        item.json,
        item.options.orderingKey ?? '',
        item.options.maxAttempts ?? '',
        lanes[n],
      );
    });
    const reply = await ENQUEUE_MANY.run(this.redis, [], args);
    if (!Array.isArray(reply) || reply.length !== chunk.length) {
      throw new Error('unexpected ENQUEUE_MANY reply');
    }
    const activations = new Map<string, { data: LaneData; opts: { jobId: string } }[]>();
    reply.forEach((result: unknown, n) => {
      if (typeof result !== 'string') return;
      const list = activations.get(chunk[n].queue) ?? [];
      list.push({ data: { lane: lanes[n] }, opts: { jobId: result } });
      activations.set(chunk[n].queue, list);
    });
    await Promise.all([...activations].map(([queue, jobs]) => this.bullQueue(queue).addBulk(jobs)));
    chunk.forEach((item, n) => {
      if (reply[n] !== 0) {
        notify(this.options.observer, 'onEnqueued', {
          queue: item.queue,
          jobId: item.id,
          orderingKey: item.options.orderingKey,
          attempt: 0,
        });
      }
      item.resolve(item.id);
    });
  }

  private async activate(queue: string, lane: string, owner: string, delayMs: number) {
    await this.bullQueue(queue).add(
      { lane },
      { jobId: owner, delay: delayMs > 0 ? delayMs : undefined },
    );
  }

  /** Re-adds activations lost between an owner change and its Bull job (a crash in between). */
  private async sweepLostOwners(queue: string): Promise<void> {
    const keys = new LaneKeys(this.prefix, queue);
    const bull = this.bullQueue(queue);
    let cursor = '0';
    do {
      const [next, lanes] = await this.redis.sscan(keys.lanes, cursor, 'COUNT', 500);
      cursor = next;
      for (const lane of lanes) {
        const owner = await this.redis.get(keys.owner(lane));
        if (owner && !(await bull.getJob(owner))) await this.activate(queue, lane, owner, 0);
      }
    } while (cursor !== '0');
  }

  private process(queue: string, entry: RegisteredQueue): void {
    if (entry.processing) return;
    entry.processing = true;
    const bull = this.bullQueue(queue);
    bull
      .process(entry.settings.concurrency, (job: Job<LaneData>) => {
        const run = this.runActivation(queue, entry, job).catch((error: unknown) => {
          this.onError(error, `lane activation of queue "${queue}" (retried)`);
          throw error;
        });
        this.activations.add(run);
        void run.catch(() => undefined).finally(() => this.activations.delete(run));
        return run;
      })
      .catch((error: unknown) => this.onError(error, `bull worker of queue "${queue}"`));
  }

  /** Runs the lane's jobs one after the other while this activation owns it. */
  private async runActivation(queue: string, entry: RegisteredQueue, bullJob: Job<LaneData>) {
    const lane = bullJob.data.lane;
    const owner = String(bullJob.id);
    const keys = new LaneKeys(this.prefix, queue);
    const perActivation = this.options.jobsPerActivation ?? 100;
    let readySince = bullJob.timestamp + (bullJob.opts.delay ?? 0);
    let finished = '';
    for (let done = 0; ; done += 1) {
      const take = !this.stopping && done < perActivation;
      const next = await this.advance(keys, lane, owner, finished, take);
      if (next === 'stale' || next === 'empty') return;
      // Stopping or yielding for fairness: a new activation takes the lane over.
      if (next === 'more') return this.handOver(queue, lane, owner, keys, 0);
      const outcome = await this.runHead(queue, entry, keys, lane, owner, next, readySince);
      if (outcome === 'stop') return;
      finished = next.id;
      readySince = Date.now();
    }
  }

  private async advance(
    keys: LaneKeys,
    lane: string,
    owner: string,
    finished: string,
    take: boolean,
  ): Promise<Advance> {
    const reply = await ADVANCE.run(
      this.redis,
      [keys.list(lane), keys.owner(lane), keys.lanes, keys.pending],
      [owner, lane, keys.jobPrefix, finished, take ? '1' : '0'],
    );
    return parseAdvance(reply);
  }

  /**
   * Runs one head job. 'done': it completed or was dead-lettered (the next ADVANCE drops it);
   * 'stop': it is retrying (the lane was handed to a delayed activation) or was released.
   */
  private async runHead(
    queue: string,
    entry: RegisteredQueue,
    keys: LaneKeys,
    lane: string,
    owner: string,
    head: HeadJob,
    readySince: number,
  ): Promise<'done' | 'stop'> {
    const observer = this.options.observer;
    const maxAttempts = head.maxAttempts ?? entry.settings.maxAttempts;
    const event = { queue, jobId: head.id, orderingKey: head.orderingKey, attempt: head.attempt };
    const started = Date.now();
    notify(observer, 'onStarted', {
      ...event,
      lagMs: started - Math.max(readySince, head.createdAt),
    });
    const signal = this.abort.signal;
    try {
      await entry.handler(JSON.parse(head.payload) as unknown, { ...event, maxAttempts, signal });
    } catch (error) {
      if (signal.aborted) return 'stop';
      notify(observer, 'onFailed', { ...event, durationMs: Date.now() - started, error });
      const lastError = describeError(error);
      const permanent = !isRetryable(error);
      if (!permanent && head.attempt < maxAttempts) {
        const delayMs = backoffDelayMs(head.attempt, entry.settings.backoff, retryAfterOf(error));
        notify(observer, 'onRetried', { ...event, delayMs, error });
        await this.handOver(queue, lane, owner, keys, delayMs, keys.job(head.id), lastError);
        return 'stop';
      }
      await this.deadLetters.add({
        queue,
        jobId: head.id,
        orderingKey: head.orderingKey,
        payload: head.payload,
        attempts: head.attempt,
        lastError,
        permanent,
        driver: 'bull',
        enqueuedAt: head.createdAt,
      });
      notify(observer, 'onDeadLettered', { ...event, reason: lastError, permanent });
      return 'done';
    }
    if (signal.aborted) return 'stop';
    notify(observer, 'onCompleted', { ...event, durationMs: Date.now() - started });
    return 'done';
  }

  private async handOver(
    queue: string,
    lane: string,
    owner: string,
    keys: LaneKeys,
    delayMs: number,
    jobHash = '',
    lastError = '',
  ): Promise<void> {
    const next = await RESCHEDULE.run(
      this.redis,
      [keys.owner(lane), keys.seq],
      [owner, jobHash, lastError],
    );
    if (typeof next === 'string') await this.activate(queue, lane, next, delayMs);
  }
}

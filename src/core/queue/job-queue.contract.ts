/**
 * The behavioural contract every JobQueue driver passes. Each driver's spec calls
 * `describeJobQueueContract` with a backend that creates driver instances on one store.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PermanentError, RetryableError } from '../adapter/errors';
import type { DeadLetterEntity } from './dead-letter.entity';
import type { JobContext, JobQueue } from './job-queue';
import type { QueueDriverOptions } from './queue-options';

export interface ContractBackend {
  /** A new driver instance on the backend's store (same database / Redis prefix every call). */
  newQueue(options: QueueDriverOptions): JobQueue;
  /** Every row of the dead-letter table. */
  deadLetters(): Promise<DeadLetterEntity[]>;
  /** Empties the store between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const FAST: QueueDriverOptions = {
  backoff: { baseMs: 5, maxMs: 40 },
  defaultMaxAttempts: 8,
  onError: () => undefined,
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function describeJobQueueContract(
  name: string,
  createBackend: () => Promise<ContractBackend>,
): void {
  describe(`JobQueue contract: ${name}`, () => {
    let backend: ContractBackend;
    let queues: JobQueue[] = [];
    let counter = 0;
    let q = '';

    const make = (options: QueueDriverOptions = {}) => {
      const queue = backend.newQueue({ ...FAST, ...options });
      queues.push(queue);
      return queue;
    };
    const openLetters = async () =>
      (await backend.deadLetters()).filter((letter) => letter.replayedAt === null);

    beforeAll(async () => {
      backend = await createBackend();
    });
    afterAll(async () => {
      await backend.close();
    });
    beforeEach(async () => {
      await backend.reset();
      counter += 1;
      q = `contract-${counter}`;
    });
    afterEach(async () => {
      for (const queue of queues) await queue.stop(200);
      queues = [];
    });

    it('runs every job at least once with its payload and context', async () => {
      const queue = make();
      const seen: { payload: unknown; context: JobContext }[] = [];
      queue.registerHandler<{ n: number }>(q, async (payload, context) => {
        seen.push({ payload, context });
      });
      await queue.start();
      const ids = await Promise.all(
        Array.from({ length: 30 }, (_, n) => queue.enqueue(q, { n }, { orderingKey: `k${n % 3}` })),
      );
      await waitFor(() => seen.length >= 30);
      await sleep(50);
      expect(seen).toHaveLength(30);
      expect(new Set(seen.map((s) => s.context.jobId))).toEqual(new Set(ids));
      const first = seen.find((s) => (s.payload as { n: number }).n === 4);
      expect(first?.context).toMatchObject({ queue: q, orderingKey: 'k1', attempt: 1 });
      expect(first?.context.maxAttempts).toBe(8);
      await waitFor(async () => (await queue.stats(q)).active === 0);
      expect(await queue.stats(q)).toMatchObject({ waiting: 0, active: 0, delayed: 0 });
    });

    it('accepts jobs before start and runs them once started', async () => {
      const queue = make();
      const seen: number[] = [];
      queue.registerHandler<number>(q, async (n) => {
        seen.push(n);
      });
      await queue.enqueue(q, 1);
      await queue.enqueue(q, 2, { orderingKey: 'a' });
      expect((await queue.stats(q)).waiting).toBe(2);
      await sleep(50);
      expect(seen).toEqual([]);
      await queue.start();
      await waitFor(() => seen.length === 2);
    });

    it('retries failed jobs with backoff until they succeed', async () => {
      const queue = make({ backoff: { baseMs: 30, maxMs: 30 } });
      const attempts: { attempt: number; at: number }[] = [];
      queue.registerHandler(q, async (_payload, context) => {
        attempts.push({ attempt: context.attempt, at: Date.now() });
        if (context.attempt === 1) throw new Error('network reset');
        if (context.attempt === 2) throw new RetryableError('HTTP 503');
      });
      await queue.start();
      await queue.enqueue(q, { x: 1 });
      await waitFor(() => attempts.length === 3);
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      await sleep(100);
      expect(attempts).toHaveLength(3);
      expect(await openLetters()).toHaveLength(0);
    });

    it('reports a retrying job as delayed', async () => {
      const queue = make({ backoff: { baseMs: 5, maxMs: 5 } });
      queue.registerHandler(q, async () => {
        throw new RetryableError('later', 1500);
      });
      await queue.start();
      await queue.enqueue(q, {});
      await waitFor(async () => (await queue.stats(q)).delayed === 1, 3000, 'a delayed job');
      expect(await queue.stats(q)).toMatchObject({ waiting: 0, active: 0, delayed: 1 });
    });

    it("honours the error's retryAfterMs when it is larger than the backoff", async () => {
      const queue = make({ backoff: { baseMs: 1, maxMs: 2 } });
      const starts: number[] = [];
      queue.registerHandler(q, async () => {
        starts.push(Date.now());
        if (starts.length === 1) throw new RetryableError('rate limited', 400);
      });
      await queue.start();
      await queue.enqueue(q, {});
      await waitFor(() => starts.length === 2, 5000);
      expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(395);
    });

    it('dead-letters a job after its last attempt, with payload, key, attempts and last error', async () => {
      const queue = make();
      let runs = 0;
      queue.registerHandler(
        q,
        async () => {
          runs += 1;
          throw new Error(`boom #${runs}`);
        },
        { maxAttempts: 4 },
      );
      await queue.start();
      const id = await queue.enqueue(
        q,
        { to: 'chat-1' },
        { orderingKey: 'conv-1', maxAttempts: 3 },
      );
      await waitFor(async () => (await openLetters()).length === 1);
      const [letter] = await openLetters();
      expect(letter).toMatchObject({
        queue: q,
        jobId: id,
        orderingKey: 'conv-1',
        attempts: 3,
        permanent: false,
      });
      expect(JSON.parse(letter.payload)).toEqual({ to: 'chat-1' });
      expect(letter.lastError).toContain('boom #3');
      await sleep(100);
      expect(runs).toBe(3);
      expect(await queue.stats(q)).toMatchObject({ waiting: 0, active: 0, deadLettered: 1 });
    });

    it("uses the queue's maxAttempts when the job sets none", async () => {
      const queue = make();
      let runs = 0;
      queue.registerHandler(
        q,
        async () => {
          runs += 1;
          throw new RetryableError('still down');
        },
        { maxAttempts: 2 },
      );
      await queue.start();
      await queue.enqueue(q, {});
      await waitFor(async () => (await openLetters()).length === 1);
      expect(runs).toBe(2);
      expect((await openLetters())[0].attempts).toBe(2);
    });

    it('dead-letters a job at once on a PermanentError', async () => {
      const queue = make();
      let runs = 0;
      queue.registerHandler(q, async () => {
        runs += 1;
        throw new PermanentError('chat not found', { code: '400' });
      });
      await queue.start();
      await queue.enqueue(q, { n: 1 }, { orderingKey: 'k' });
      await waitFor(async () => (await openLetters()).length === 1);
      const [letter] = await openLetters();
      expect(letter).toMatchObject({ attempts: 1, permanent: true, orderingKey: 'k' });
      expect(letter.lastError).toContain('chat not found');
      await sleep(50);
      expect(runs).toBe(1);
    });

    it('runs jobs of one key in enqueue order, one at a time, while keys run concurrently', async () => {
      const queue = make();
      const keys = 200;
      const perKey = 8;
      const done = new Map<string, number[]>();
      const runningByKey = new Map<string, number>();
      let running = 0;
      let maxRunning = 0;
      let violations = 0;
      queue.registerHandler<{ key: string; n: number }>(
        q,
        async ({ key, n }) => {
          running += 1;
          maxRunning = Math.max(maxRunning, running);
          runningByKey.set(key, (runningByKey.get(key) ?? 0) + 1);
          if ((runningByKey.get(key) ?? 0) > 1) violations += 1;
          await sleep(n % 3);
          runningByKey.set(key, (runningByKey.get(key) ?? 0) - 1);
          running -= 1;
          const list = done.get(key) ?? [];
          list.push(n);
          done.set(key, list);
        },
        { concurrency: 32 },
      );
      await queue.start();
      const enqueues: Promise<string>[] = [];
      for (let n = 0; n < perKey; n += 1) {
        for (let k = 0; k < keys; k += 1) {
          enqueues.push(queue.enqueue(q, { key: `key-${k}`, n }, { orderingKey: `key-${k}` }));
        }
      }
      await Promise.all(enqueues);
      await waitFor(
        () => [...done.values()].reduce((s, l) => s + l.length, 0) === keys * perKey,
        25_000,
      );
      expect(violations).toBe(0);
      expect(maxRunning).toBeGreaterThan(1);
      expect(maxRunning).toBeLessThanOrEqual(32);
      const expected = Array.from({ length: perKey }, (_, n) => n);
      for (const list of done.values()) expect(list).toEqual(expected);
    }, 30_000);

    it('blocks a key behind its retrying head while other keys proceed', async () => {
      const queue = make({ backoff: { baseMs: 400, maxMs: 400 } });
      const events: string[] = [];
      queue.registerHandler<string>(q, async (name, context) => {
        events.push(`${name}#${context.attempt}`);
        if (name === 'a1' && context.attempt === 1) throw new RetryableError('busy', 400);
      });
      await queue.start();
      await queue.enqueue(q, 'a1', { orderingKey: 'a' });
      await queue.enqueue(q, 'a2', { orderingKey: 'a' });
      await waitFor(() => events.includes('a1#1'));
      await queue.enqueue(q, 'b1', { orderingKey: 'b' });
      await waitFor(() => events.includes('a2#1'), 5000);
      expect(events.indexOf('b1#1')).toBeLessThan(events.indexOf('a1#2'));
      expect(events.indexOf('a1#2')).toBeLessThan(events.indexOf('a2#1'));
    });

    it('deduplicates by jobId while the job is known', async () => {
      const queue = make();
      const runs: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      queue.registerHandler<string>(q, async (payload) => {
        runs.push(payload);
        await gate;
      });
      const [a, b] = await Promise.all([
        queue.enqueue(q, 'first', { jobId: 'order-42' }),
        queue.enqueue(q, 'second', { jobId: 'order-42' }),
      ]);
      const c = await queue.enqueue(q, 'third', { jobId: 'order-42' });
      expect([a, b, c]).toEqual(['order-42', 'order-42', 'order-42']);
      await queue.start();
      await waitFor(() => runs.length === 1);
      expect(await queue.enqueue(q, 'fourth', { jobId: 'order-42' })).toBe('order-42');
      release();
      await waitFor(async () => (await queue.stats(q)).active === 0);
      await sleep(50);
      expect(runs).toEqual(['first']);
    });

    it('stops gracefully: waits for in-flight jobs and takes no new ones', async () => {
      const queue = make();
      const finished: number[] = [];
      const started: number[] = [];
      queue.registerHandler<number>(
        q,
        async (n) => {
          started.push(n);
          await sleep(150);
          finished.push(n);
        },
        { concurrency: 2 },
      );
      await queue.start();
      for (let n = 0; n < 6; n += 1) await queue.enqueue(q, n);
      await waitFor(() => started.length === 2);
      await queue.stop(5000);
      expect(finished.sort()).toEqual([0, 1]);
      await sleep(200);
      expect(started).toHaveLength(2);

      const next = make();
      const rest: number[] = [];
      next.registerHandler<number>(q, async (n) => {
        rest.push(n);
      });
      await next.start();
      await waitFor(() => rest.length === 4);
      expect(rest.sort()).toEqual([2, 3, 4, 5]);
    });

    it('releases jobs still running at the stop timeout; they run again after restart', async () => {
      const queue = make();
      let aborted = false;
      queue.registerHandler(q, async (_payload, context) => {
        context.signal.addEventListener('abort', () => (aborted = true));
        await sleep(1500);
      });
      await queue.start();
      const id = await queue.enqueue(q, { slow: true }, { orderingKey: 'k' });
      await waitFor(async () => (await queue.stats(q)).active === 1);
      const before = Date.now();
      await queue.stop(100);
      expect(Date.now() - before).toBeLessThan(1400);
      expect(aborted).toBe(true);

      const next = make();
      const rerun: string[] = [];
      next.registerHandler(q, async (_payload, context) => {
        rerun.push(context.jobId);
      });
      await next.start();
      await waitFor(() => rerun.length === 1, 15_000);
      expect(rerun).toEqual([id]);
    }, 20_000);

    it('recovers on a new instance what the previous one left, in per-key order', async () => {
      const first = make();
      for (let n = 0; n < 40; n += 1) {
        await first.enqueue(q, n, { orderingKey: `k${n % 4}` });
      }
      await first.stop(100);
      const next = make();
      const seen = new Map<string, number[]>();
      next.registerHandler<number>(
        q,
        async (n, context) => {
          const list = seen.get(context.orderingKey ?? '') ?? [];
          list.push(n);
          seen.set(context.orderingKey ?? '', list);
        },
        { concurrency: 8 },
      );
      await next.start();
      await waitFor(() => [...seen.values()].reduce((s, l) => s + l.length, 0) === 40);
      for (let k = 0; k < 4; k += 1) {
        expect(seen.get(`k${k}`)).toEqual(Array.from({ length: 10 }, (_, i) => i * 4 + k));
      }
    });

    it('replays a dead letter once, on its queue and key', async () => {
      const queue = make();
      let fail = true;
      const ran: { payload: unknown; key?: string }[] = [];
      queue.registerHandler(q, async (payload, context) => {
        if (fail) throw new PermanentError('blocked by the user');
        ran.push({ payload, key: context.orderingKey });
      });
      await queue.start();
      await queue.enqueue(q, { text: 'hello' }, { orderingKey: 'conv-9' });
      await waitFor(async () => (await openLetters()).length === 1);
      const [letter] = await openLetters();
      fail = false;
      expect(await queue.replayDeadLetter(letter.id)).toBe(true);
      expect(await queue.replayDeadLetter(letter.id)).toBe(false);
      expect(await queue.replayDeadLetter('00000000-0000-0000-0000-000000000000')).toBe(false);
      await waitFor(() => ran.length === 1);
      expect(ran[0]).toEqual({ payload: { text: 'hello' }, key: 'conv-9' });
      expect((await queue.stats(q)).deadLettered).toBe(0);
      const [replayed] = await backend.deadLetters();
      expect(replayed.replayedAt).not.toBeNull();
    });
  });
}

/**
 * Load generators for bench:e2e. Open loop: messages are posted at a fixed rate whatever the
 * system under test does (latency at a given load, no coordinated omission). Closed loop: a fixed
 * number of messages in flight end to end, the next one posted as soon as one reached HubSpot
 * (throughput, as fast as the system goes).
 */
import { performance } from 'node:perf_hooks';
import type { ArrivalTracker } from './e2e-arrivals';

/** Posts message `n` (its text from the tracker); resolves whether the platform delivered it. */
export type PostMessage = (n: number, text: string) => Promise<boolean>;

export interface PostErrors {
  /** The platform refused the post (an exception). */
  failed: number;
  /** The platform's webhook call was not acknowledged (the update stays pending there). */
  undelivered: number;
  firstError?: string;
}

export interface OpenLoopResult extends PostErrors {
  /** How late the generator posted, against the schedule (ms): its own lag, not the target's. */
  lateP99Ms: number;
  lateMaxMs: number;
  postedInMs: number;
}

class PostTracker implements PostErrors {
  failed = 0;
  undelivered = 0;
  firstError?: string;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly post: PostMessage,
    private readonly tracker: ArrivalTracker,
  ) {}

  fire(n: number): void {
    this.tracker.markPosted(n);
    const settled = this.post(n, this.tracker.text(n)).then(
      (delivered) => {
        if (!delivered) this.undelivered++;
      },
      (error: unknown) => {
        this.failed++;
        this.firstError ??= error instanceof Error ? error.message : String(error);
      },
    );
    const tracked = settled.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  errors(): PostErrors {
    const { failed, undelivered, firstError } = this;
    return { failed, undelivered, ...(firstError !== undefined && { firstError }) };
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Posts messages 0 .. count-1 at `rate` per second. */
export async function openLoop(options: {
  rate: number;
  count: number;
  post: PostMessage;
  tracker: ArrivalTracker;
}): Promise<OpenLoopResult> {
  const { rate, count, post, tracker } = options;
  const posts = new PostTracker(post, tracker);
  const lateness: number[] = [];
  const intervalMs = 1000 / rate;
  const started = performance.now();
  let next = 0;
  while (next < count) {
    const now = performance.now();
    const due = Math.min(count, Math.floor((now - started) / intervalMs) + 1);
    for (; next < due; next++) {
      lateness.push(now - (started + next * intervalMs));
      posts.fire(next);
    }
    await tick();
  }
  const postedInMs = performance.now() - started;
  await posts.settled();
  lateness.sort((a, b) => a - b);
  return {
    ...posts.errors(),
    lateP99Ms: lateness[Math.max(0, Math.ceil(lateness.length * 0.99) - 1)] ?? 0,
    lateMaxMs: lateness.at(-1) ?? 0,
    postedInMs,
  };
}

/**
 * Keeps `concurrency` messages in flight (posted, not yet stored by HubSpot) until messages
 * 0 .. count-1 were posted; resolves when all arrived or nothing arrived for `idleMs`.
 */
export async function closedLoop(options: {
  concurrency: number;
  count: number;
  post: PostMessage;
  tracker: ArrivalTracker;
  idleMs: number;
}): Promise<PostErrors> {
  const { concurrency, count, post, tracker, idleMs } = options;
  const posts = new PostTracker(post, tracker);
  let next = 0;
  const postNext = () => {
    if (next < count) posts.fire(next++);
  };
  // Arrivals are reported inside the simulator's request handler: post the next one after it.
  tracker.onArrival(() => setImmediate(postNext));
  for (let i = 0; i < Math.min(concurrency, count); i++) postNext();
  for (;;) {
    await tracker.drained(idleMs);
    // Stop when all were posted, or when arrivals stopped with messages missing (lost).
    if (next >= count || tracker.check().missing > 0) break;
    postNext();
  }
  await posts.settled();
  return posts.errors();
}

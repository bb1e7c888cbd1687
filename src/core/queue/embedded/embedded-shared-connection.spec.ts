import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../persistence/database-options';
import { ProcessedEventRepository } from '../../persistence/repositories/processed-event.repository';
import { EmbeddedJobQueue } from './embedded-job-queue';

jest.setTimeout(60_000);

/**
 * The embedded queue commits on the connection the repositories use (one SQLite connection per
 * gateway process): its writes are single statements, so no job's write can end up inside a
 * transaction of the queue, and no statement waits for a second writer's lock.
 */
describe("EmbeddedJobQueue on the repositories' SQLite connection", () => {
  let dir: string;
  let shared: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'queue-shared-connection-'));
    shared = await new DataSource(
      buildDataSourceOptions(`sqlite:${join(dir, 'gateway.sqlite')}`),
    ).initialize();
  });

  afterAll(async () => {
    await shared?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every writer moving when many jobs write through the connection it commits on', async () => {
    // The gateway's shape: 64 handlers at once, each writing through the connection, while the
    // queue commits enqueues (webhooks keep arriving) and completions on the same one.
    const queue = new EmbeddedJobQueue(shared);
    const processed = new ProcessedEventRepository(shared);
    const jobs = 1_000;
    let slowestMs = 0;
    let completed = 0;
    let resolveAll!: () => void;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    queue.registerHandler<{ n: number }>(
      'writes',
      async ({ n }) => {
        const begun = Date.now();
        // A read, then writes, as the inbound processor does per message.
        await processed.isProcessed('test', `event-${n}`);
        await processed.markProcessed('test', `event-${n}`);
        await processed.forget('test', `event-${n}`);
        await processed.markProcessed('test', `event-${n}`);
        slowestMs = Math.max(slowestMs, Date.now() - begun);
        if (++completed === jobs) resolveAll();
      },
      { concurrency: 64 },
    );
    await queue.start();
    // Enqueued while earlier jobs complete, so enqueues and completions share commits.
    for (let n = 0; n < jobs; n += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          queue.enqueue('writes', { n: n + k }, { orderingKey: `lane-${(n + k) % 100}` }),
        ),
      );
    }
    await all;
    await queue.stop();
    // A stalled writer waits out SQLite's busy timeout (5 s), and again after each retry.
    expect(slowestMs).toBeLessThan(4_000);
    expect(await processed.isProcessed('test', `event-${jobs - 1}`)).toBe(true);
  });
});

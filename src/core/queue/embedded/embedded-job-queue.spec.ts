import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../persistence/database-options';
import { DeadLetterEntity } from '../dead-letter.entity';
import { describeJobQueueContract } from '../job-queue.contract';
import { QueueJobEntity } from './queue-job.entity';
import { EmbeddedJobQueue } from './embedded-job-queue';
import { QueueLeaseHeldError } from './queue-lease';
import { runChildToEnd } from '../testing/crash-scenario';

async function sqliteDataSource(dir: string): Promise<DataSource> {
  const dataSource = new DataSource(
    buildDataSourceOptions(`sqlite:${join(dir, 'gateway.sqlite')}`),
  );
  await dataSource.initialize();
  return dataSource;
}

describeJobQueueContract('embedded driver on SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'queue-contract-'));
  const dataSource = await sqliteDataSource(dir);
  return {
    newQueue: (options) => new EmbeddedJobQueue(dataSource, { ...options, leaseTtlMs: 3000 }),
    deadLetters: () => dataSource.getRepository(DeadLetterEntity).find(),
    reset: async () => {
      await dataSource.getRepository(QueueJobEntity).clear();
      await dataSource.getRepository(DeadLetterEntity).clear();
    },
    close: async () => {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('EmbeddedJobQueue on SQLite', () => {
  let dir: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'queue-embedded-'));
    dataSource = await sqliteDataSource(dir);
  });
  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second instance on the same database while the first holds the lease', async () => {
    const first = new EmbeddedJobQueue(dataSource, { leaseTtlMs: 5000 });
    await first.start();
    const second = new EmbeddedJobQueue(dataSource, { leaseTtlMs: 5000 });
    await expect(second.start()).rejects.toThrow(QueueLeaseHeldError);
    await expect(second.enqueue('q', 1)).rejects.toThrow(/REDIS_URL/);
    await first.stop();
    await second.start();
    await second.stop();
  });

  it('makes a second process on the same database fail with a clear error', async () => {
    const first = new EmbeddedJobQueue(dataSource, { leaseTtlMs: 30_000 });
    await first.start();
    try {
      const { code, stderr } = await runChildToEnd({
        driver: 'embedded',
        databaseUrl: `sqlite:${join(dir, 'gateway.sqlite')}`,
        completionsFile: join(dir, 'unused.log'),
        enqueuedFile: join(dir, 'unused.flag'),
        enqueue: true,
        keys: 1,
        perKey: 1,
        jobMs: 1,
        concurrency: 1,
      });
      expect(code).toBe(1);
      expect(stderr).toContain('QueueLeaseHeldError');
      expect(stderr).toContain('run several processes with REDIS_URL set');
    } finally {
      await first.stop();
    }
  }, 30_000);

  it('keeps the rows of pending jobs and deletes completed ones', async () => {
    const queue = new EmbeddedJobQueue(dataSource);
    const repo = dataSource.getRepository(QueueJobEntity);
    await queue.enqueue('rows', { a: 1 }, { orderingKey: 'k', jobId: 'job-1' });
    const row = await repo.findOneByOrFail({ id: 'job-1' });
    expect(row).toMatchObject({ queue: 'rows', orderingKey: 'k', payload: '{"a":1}', attempts: 0 });
    queue.registerHandler('rows', async () => undefined);
    await queue.start();
    for (let i = 0; i < 100 && (await repo.countBy({ id: 'job-1' })) > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await repo.countBy({ id: 'job-1' })).toBe(0);
    await queue.stop();
  });

  // After a crash between a dead letter's two statements, or a replay's (job-store.ts).
  const jobRow = (id: string, createdAt: number, seq: number, payloadId = id) =>
    Object.assign(new QueueJobEntity(), {
      id,
      queue: 'letters',
      orderingKey: null,
      seq,
      payload: JSON.stringify({ id: payloadId }),
      attempts: 3,
      maxAttempts: null,
      runAt: createdAt,
      createdAt,
      lastError: null,
    });
  const letterRow = (id: string, jobId: string, enqueuedAt: number) =>
    Object.assign(new DeadLetterEntity(), {
      id,
      queue: 'letters',
      jobId,
      orderingKey: null,
      payload: JSON.stringify({ id: jobId }),
      attempts: 3,
      lastError: 'failed for good',
      permanent: true,
      driver: 'embedded',
      enqueuedAt,
      failedAt: enqueuedAt + 1_000,
      replayedAt: null,
      replayJobId: null,
    });
  /** Starts a queue over the rows given, runs what it loads, then hands it to `whileRunning`. */
  const runLetters = async (
    jobs: QueueJobEntity[],
    letters: DeadLetterEntity[],
    whileRunning: (queue: EmbeddedJobQueue) => Promise<void> = async () => undefined,
  ): Promise<string[]> => {
    await dataSource.getRepository(QueueJobEntity).clear();
    await dataSource.getRepository(DeadLetterEntity).clear();
    await dataSource.getRepository(DeadLetterEntity).insert(letters);
    await dataSource.getRepository(QueueJobEntity).insert(jobs);
    const ran: string[] = [];
    const queue = new EmbeddedJobQueue(dataSource, { leaseTtlMs: 3000 });
    queue.registerHandler<{ id: string }>('letters', async (payload) => {
      ran.push(payload.id);
    });
    await queue.start();
    try {
      const repo = dataSource.getRepository(QueueJobEntity);
      for (let i = 0; i < 200 && (await repo.count()) > 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await whileRunning(queue);
    } finally {
      await queue.stop();
    }
    return ran;
  };

  it('does not run a job again whose dead letter was written, but runs a later job of the same id', async () => {
    const enqueuedAt = Date.now() - 60_000;
    const ran = await runLetters(
      [
        // The crash window: the letter is committed, its job's row is still there.
        jobRow('ended', enqueuedAt, 1),
        // Same caller-chosen id as an older dead letter, enqueued again later: a new job.
        jobRow('again', enqueuedAt + 30_000, 2),
      ],
      [letterRow('letter-0', 'ended', enqueuedAt), letterRow('letter-1', 'again', enqueuedAt)],
    );
    expect(ran).toEqual(['again']);
    expect(await dataSource.getRepository(QueueJobEntity).count()).toBe(0);
    expect(await dataSource.getRepository(DeadLetterEntity).count()).toBe(2);
  });

  it('closes a letter whose replay job was inserted before a crash, and runs that job once', async () => {
    const failedAt = Date.now() - 60_000;
    const letterId = '11111111-2222-3333-4444-555555555555';
    let replayedAgain: boolean | undefined;
    const ran = await runLetters(
      // The replay's first statement committed, its second (claiming the letter) did not.
      [jobRow(`replay:${letterId}`, failedAt + 1_000, 3, 'replayed')],
      [letterRow(letterId, 'replayed', failedAt - 1_000)],
      async (queue) => {
        replayedAgain = await queue.replayDeadLetter(letterId);
      },
    );
    expect(replayedAgain).toBe(false);
    expect(ran).toEqual(['replayed']);
    const letter = await dataSource.getRepository(DeadLetterEntity).findOneByOrFail({
      id: letterId,
    });
    expect(letter.replayJobId).toBe(`replay:${letterId}`);
    expect(letter.replayedAt).not.toBeNull();
  });
});

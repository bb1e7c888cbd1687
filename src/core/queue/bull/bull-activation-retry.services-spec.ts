import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PermanentError } from '../../adapter/errors';
import { buildDataSourceOptions } from '../../persistence/database-options';
import { DeadLetterEntity } from '../dead-letter.entity';
import { sleep, waitFor } from '../job-queue.contract';
import { deleteRedisPrefix } from '../testing/redis';
import { BullJobQueue } from './bull-job-queue';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('BullJobQueue when the database fails under a lane', () => {
  const prefix = `test-activation-${process.pid}-${Date.now()}`;
  let dir: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'queue-bull-retry-'));
    dataSource = new DataSource(buildDataSourceOptions(`sqlite:${join(dir, 'dl.sqlite')}`));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await deleteRedisPrefix(REDIS_URL, prefix);
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries the lane activation until the dead letter is stored, keeping the key blocked', async () => {
    const queue = new BullJobQueue(dataSource, {
      redisUrl: REDIS_URL,
      prefix,
      onError: () => undefined,
    });
    const runs: string[] = [];
    queue.registerHandler<string>('q', async (name) => {
      runs.push(name);
      if (name === 'first') throw new PermanentError('chat not found');
    });
    await dataSource.query('ALTER TABLE dead_letters RENAME TO dead_letters_away');
    try {
      await queue.start();
      await queue.enqueue('q', 'first', { orderingKey: 'k' });
      await queue.enqueue('q', 'second', { orderingKey: 'k' });
      await waitFor(() => runs.length >= 1);
      await sleep(300);
      expect(runs).toEqual(['first']);
    } finally {
      await dataSource.query('ALTER TABLE dead_letters_away RENAME TO dead_letters');
    }
    await waitFor(() => runs.includes('second'), 10_000);
    const letters = await dataSource.getRepository(DeadLetterEntity).find();
    expect(letters.map((letter) => letter.payload)).toEqual(['"first"']);
    expect(runs.indexOf('second')).toBe(runs.length - 1);
    await queue.stop(1000);
  }, 20_000);
});

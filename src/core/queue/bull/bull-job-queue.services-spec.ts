import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../persistence/database-options';
import { DeadLetterEntity } from '../dead-letter.entity';
import { describeJobQueueContract } from '../job-queue.contract';
import { deleteRedisPrefix } from '../testing/redis';
import { BullJobQueue } from './bull-job-queue';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describeJobQueueContract('bull driver on Redis', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'queue-bull-'));
  const dataSource = new DataSource(buildDataSourceOptions(`sqlite:${join(dir, 'dl.sqlite')}`));
  await dataSource.initialize();
  const prefix = `test-queue-${process.pid}-${Date.now()}`;
  return {
    newQueue: (options) =>
      new BullJobQueue(dataSource, {
        ...options,
        redisUrl: REDIS_URL,
        prefix,
        lockDurationMs: 1000,
        stalledIntervalMs: 500,
      }),
    deadLetters: () => dataSource.getRepository(DeadLetterEntity).find(),
    reset: async () => {
      await dataSource.getRepository(DeadLetterEntity).clear();
    },
    close: async () => {
      await deleteRedisPrefix(REDIS_URL, prefix);
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

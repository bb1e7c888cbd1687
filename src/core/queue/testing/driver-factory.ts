import type { DataSource } from 'typeorm';
import { BullJobQueue, type BullJobQueueOptions } from '../bull/bull-job-queue';
import { EmbeddedJobQueue, type EmbeddedJobQueueOptions } from '../embedded/embedded-job-queue';
import type { JobQueue } from '../job-queue';

/** Builds a driver for test children and benchmarks from a plain, serialisable description. */
export function createQueueDriver(
  dataSource: DataSource,
  target: { driver: 'embedded' | 'bull'; redisUrl?: string; redisPrefix?: string },
  options: EmbeddedJobQueueOptions & Partial<BullJobQueueOptions> = {},
): JobQueue {
  if (target.driver === 'bull') {
    if (!target.redisUrl) throw new Error('the bull driver needs a redisUrl');
    return new BullJobQueue(dataSource, {
      ...options,
      redisUrl: target.redisUrl,
      prefix: target.redisPrefix,
    });
  }
  return new EmbeddedJobQueue(dataSource, options);
}

import type { DataSource } from 'typeorm';
import { EmbeddedJobQueue } from '../embedded/embedded-job-queue';
import type { JobQueue } from '../job-queue';
import type { QueueDriverOptions } from '../queue-options';

/** Builds a driver for test children and benchmarks from a plain, serialisable description. */
export function createQueueDriver(
  dataSource: DataSource,
  target: { driver: 'embedded' | 'bull'; redisUrl?: string; redisPrefix?: string },
  options: QueueDriverOptions & { leaseTtlMs?: number } = {},
): JobQueue {
  if (target.driver === 'bull') throw new Error('bull driver not wired yet');
  return new EmbeddedJobQueue(dataSource, options);
}

/**
 * Child process of the kill -9 tests: `node -r ./test/support/ts-register.js crash-child.ts
 * <config-json>`. It optionally enqueues `keys x perKey` jobs, then processes them slowly,
 * appending "key n" to the completions file after each job; it exits once the queue is empty.
 * The parent kills it with SIGKILL mid-run and starts it again.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../persistence/database-options';
import type { JobQueue } from '../job-queue';
import { createQueueDriver } from './driver-factory';

export interface CrashChildConfig {
  driver: 'embedded' | 'bull';
  databaseUrl: string;
  redisUrl?: string;
  redisPrefix?: string;
  completionsFile: string;
  enqueuedFile: string;
  enqueue: boolean;
  keys: number;
  perKey: number;
  jobMs: number;
  concurrency: number;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as CrashChildConfig;
  const dataSource = new DataSource(buildDataSourceOptions(config.databaseUrl));
  await dataSource.initialize();
  const queue: JobQueue = createQueueDriver(dataSource, config, {
    leaseTtlMs: 20_000,
    lockDurationMs: 2000,
    stalledIntervalMs: 1000,
  });
  queue.registerHandler<{ key: string; n: number }>(
    'crash',
    async ({ key, n }) => {
      await new Promise((resolve) => setTimeout(resolve, config.jobMs));
      appendFileSync(config.completionsFile, `${key} ${n}\n`);
    },
    { concurrency: config.concurrency },
  );
  await queue.start();
  if (config.enqueue) {
    const pending: Promise<string>[] = [];
    for (let n = 0; n < config.perKey; n += 1) {
      for (let k = 0; k < config.keys; k += 1) {
        const key = `key-${k}`;
        pending.push(queue.enqueue('crash', { key, n }, { orderingKey: key }));
      }
    }
    await Promise.all(pending);
    writeFileSync(config.enqueuedFile, 'done\n');
  }
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stats = await queue.stats('crash');
    if (stats.waiting + stats.active + stats.delayed === 0) break;
  }
  await queue.stop();
  await dataSource.destroy();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Queue throughput: jobs/s from the first enqueue to the last completion, with 1,000 distinct
 * ordering keys, for each driver. Run: `npm run bench:queue` (env: BENCH_JOBS, BENCH_KEYS,
 * REDIS_URL, BENCH_DATABASE_URL for the embedded driver on another database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/core/persistence/database-options';
import type { JobQueue } from '../src/core/queue/job-queue';
import { createQueueDriver } from '../src/core/queue/testing/driver-factory';

const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TARGET = 2_000;

interface Result {
  driver: string;
  jobs: number;
  enqueueMs: number;
  totalMs: number;
  jobsPerSecond: number;
  orderViolations: number;
}

async function measure(driver: string, queue: JobQueue): Promise<Result> {
  const lastSeen = new Map<string, number>();
  let completed = 0;
  let orderViolations = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  queue.registerHandler<{ n: number }>(
    'bench',
    async ({ n }, context) => {
      const key = context.orderingKey ?? '';
      if ((lastSeen.get(key) ?? -1) >= n) orderViolations += 1;
      lastSeen.set(key, n);
      completed += 1;
      if (completed === JOBS) resolveDone();
    },
    { concurrency: CONCURRENCY },
  );
  await queue.start();
  const started = process.hrtime.bigint();
  const pending: Promise<string>[] = [];
  for (let n = 0; n < JOBS; n += 1) {
    pending.push(queue.enqueue('bench', { n }, { orderingKey: `key-${n % KEYS}` }));
  }
  await Promise.all(pending);
  const enqueueMs = Number(process.hrtime.bigint() - started) / 1e6;
  await done;
  const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
  await queue.stop();
  return {
    driver,
    jobs: JOBS,
    enqueueMs: Math.round(enqueueMs),
    totalMs: Math.round(totalMs),
    jobsPerSecond: Math.round((JOBS / totalMs) * 1000),
    orderViolations,
  };
}

async function embedded(): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'queue-bench-'));
  const url = process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'gateway.sqlite')}`;
  const dataSource = new DataSource(buildDataSourceOptions(url));
  await dataSource.initialize();
  try {
    const queue = createQueueDriver(dataSource, { driver: 'embedded' });
    return await measure(`embedded (${url.split(':')[0]})`, queue);
  } finally {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bull(): Promise<Result | string> {
  const dir = mkdtempSync(join(tmpdir(), 'queue-bench-bull-'));
  const dataSource = new DataSource(buildDataSourceOptions(`sqlite:${join(dir, 'dl.sqlite')}`));
  await dataSource.initialize();
  const prefix = `bench-${process.pid}-${Date.now()}`;
  try {
    const { redisReachable, deleteRedisPrefix } = await import('../src/core/queue/testing/redis');
    if (!(await redisReachable(REDIS_URL))) return `skipped (Redis not reachable at ${REDIS_URL})`;
    const queue = createQueueDriver(dataSource, {
      driver: 'bull',
      redisUrl: REDIS_URL,
      redisPrefix: prefix,
    });
    try {
      return await measure('bull (redis)', queue);
    } finally {
      await deleteRedisPrefix(REDIS_URL, prefix);
    }
  } finally {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `queue benchmark: ${JOBS} jobs, ${KEYS} ordering keys, concurrency ${CONCURRENCY}, ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`,
  );
  const only = process.argv[2];
  const results: (Result | string)[] = [];
  if (!only || only === 'embedded') results.push(await embedded());
  if (!only || only === 'bull') {
    results.push(await bull().catch((error: unknown) => `failed: ${String(error)}`));
  }
  for (const result of results) {
    if (typeof result === 'string') {
      console.log(`bull: ${result}`);
      continue;
    }
    const verdict = result.jobsPerSecond >= TARGET ? 'meets' : 'BELOW';
    console.log(
      `${result.driver}: ${result.jobsPerSecond} jobs/s (${result.jobs} jobs in ${result.totalMs} ms, ` +
        `all enqueued after ${result.enqueueMs} ms, order violations ${result.orderViolations}) ` +
        `- ${verdict} the ${TARGET} jobs/s target`,
    );
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

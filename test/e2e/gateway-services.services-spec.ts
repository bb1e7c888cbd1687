import { JobQueue } from '../../src/core/queue/job-queue';
import { BullJobQueue } from '../../src/core/queue/bull/bull-job-queue';
import { eventually, startTestGateway } from '../support/test-gateway';

jest.setTimeout(60_000);

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('gateway on PostgreSQL and Redis', () => {
  it('boots with Bull on Redis and PostgreSQL, reports healthy and runs jobs', async () => {
    const gateway = await startTestGateway({
      env: { DATABASE_URL: POSTGRES_URL, REDIS_URL },
    });
    try {
      const queue = gateway.app.get(JobQueue);
      expect(queue).toBeInstanceOf(BullJobQueue);
      const done: number[] = [];
      const name = `services-e2e-${Date.now()}`;
      queue.registerHandler<{ n: number }>(name, async ({ n }) => {
        done.push(n);
      });
      for (let n = 0; n < 5; n++) await queue.enqueue(name, { n }, { orderingKey: 'k' });
      await eventually(() => (done.length === 5 ? true : undefined));
      expect(done).toEqual([0, 1, 2, 3, 4]);
      const health = (await (await fetch(`${gateway.url}/health`)).json()) as {
        status: string;
        database: { type: string };
      };
      expect(health).toMatchObject({ status: 'ok', database: { type: 'postgres' } });
    } finally {
      await gateway.close();
    }
  });
});

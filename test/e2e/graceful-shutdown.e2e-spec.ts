import { JobQueue } from '../../src/core/queue/job-queue';
import { eventually, startTestGateway } from '../support/test-gateway';

jest.setTimeout(60_000);

describe('graceful shutdown', () => {
  it('lets an in-flight job finish before the database closes, and runs what is left after a restart', async () => {
    const first = await startTestGateway();
    const events: string[] = [];
    let started = 0;
    first.app.get(JobQueue).registerHandler<{ n: number }>(
      'shutdown-test',
      async ({ n }) => {
        started += 1;
        events.push(`start ${n}`);
        await new Promise((done) => setTimeout(done, 400));
        events.push(`end ${n}`);
      },
      { concurrency: 1 },
    );
    const queue = first.app.get(JobQueue);
    for (let n = 1; n <= 3; n++)
      await queue.enqueue('shutdown-test', { n }, { orderingKey: 'one-lane' });
    await eventually(() => (started === 1 ? true : undefined));
    await first.close(); // what SIGTERM does through enableShutdownHooks
    events.push('closed');
    expect(events).toEqual(['start 1', 'end 1', 'closed']);

    // The jobs not started are still there for the next process.
    const second = await startTestGateway({ cwd: first.cwd });
    try {
      const rest: number[] = [];
      second.app.get(JobQueue).registerHandler<{ n: number }>('shutdown-test', async ({ n }) => {
        rest.push(n);
      });
      await eventually(() => (rest.length === 2 ? true : undefined));
      expect(rest).toEqual([2, 3]);
    } finally {
      await second.close();
    }
  });
});

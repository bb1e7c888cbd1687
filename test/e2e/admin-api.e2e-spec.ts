import { PermanentError } from '../../src/core/adapter';
import { JobQueue } from '../../src/core/queue/job-queue';
import { eventually, startTestGateway, type TestGateway } from '../support/test-gateway';

jest.setTimeout(60_000);

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

describe('admin API', () => {
  let gateway: TestGateway;
  let failNext = true;
  const handled: string[] = [];

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { ADMIN_TOKEN } });
    gateway.app.get(JobQueue).registerHandler<{ n: number }>('admin-test', async (payload) => {
      if (failNext) throw new PermanentError(`recipient blocked (job ${payload.n})`);
      handled.push(`job ${payload.n}`);
    });
  });

  afterAll(() => gateway?.close());

  const get = (path: string, token = ADMIN_TOKEN) =>
    fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('rejects a missing or wrong token', async () => {
    expect((await fetch(`${gateway.url}/admin/accounts`)).status).toBe(401);
    expect((await get('/admin/accounts', 'wrong-token-wrong-token')).status).toBe(401);
    expect((await get('/admin/accounts')).status).toBe(200);
  });

  it('lists a dead-lettered job with its last error and replays it once', async () => {
    await gateway.app.get(JobQueue).enqueue('admin-test', { n: 7 }, { orderingKey: 'conv-1' });
    const letter = await eventually(async () => {
      const list = (await (await get('/admin/dead-letters?queue=admin-test')).json()) as {
        id: string;
        lastError: string;
        permanent: boolean;
        payload: unknown;
      }[];
      return list[0];
    });
    expect(letter).toMatchObject({
      lastError: expect.stringContaining('recipient blocked (job 7)'),
      permanent: true,
      payload: { n: 7 },
    });

    failNext = false;
    const replay = await fetch(`${gateway.url}/admin/dead-letters/${letter.id}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(replay.status).toBe(202);
    await eventually(() => (handled.includes('job 7') ? true : undefined));

    const again = await fetch(`${gateway.url}/admin/dead-letters/${letter.id}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(again.status).toBe(404);
    const open = (await (await get('/admin/dead-letters?queue=admin-test')).json()) as unknown[];
    expect(open).toEqual([]);
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  it('is closed with a message saying how to open it', async () => {
    const gateway = await startTestGateway();
    try {
      const response = await fetch(`${gateway.url}/admin/dead-letters`, {
        headers: { authorization: 'Bearer anything-at-all-here' },
      });
      expect(response.status).toBe(403);
      expect(JSON.stringify(await response.json())).toContain('set ADMIN_TOKEN');
    } finally {
      await gateway.close();
    }
  });
});

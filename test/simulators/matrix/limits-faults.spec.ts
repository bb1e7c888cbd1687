import { startMatrixSimulator, type MatrixSimulator } from './index';
import { call, clientFor, CS, enc } from './test-client';

describe('Matrix simulator: rate limits and fault injection', () => {
  let sim: MatrixSimulator;
  let bot: ReturnType<typeof clientFor>;
  let roomId: string;
  let n = 0;

  beforeAll(async () => {
    sim = await startMatrixSimulator({ rateLimit: { enabled: true, perSecond: 0.5, burst: 2 } });
    bot = clientFor(sim.baseUrl, sim.createUser({ user: 'bot' }).accessToken);
    sim.createUser({ user: 'alice' });
    roomId = sim.createRoom({ creator: 'alice', invite: ['bot'], join: ['bot'] }).roomId;
  }, 30000);
  afterAll(() => sim.close());
  afterEach(() => sim.clearFaults());

  const send = () =>
    bot('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/t${++n}`, {
      body: { msgtype: 'm.text', body: `m${n}` },
    });

  it('rate-limits sends per user with 429 M_LIMIT_EXCEEDED, retry_after_ms and Retry-After', async () => {
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.json.errcode).toBe('M_LIMIT_EXCEEDED');
    expect(Number(limited.json.retry_after_ms)).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBe(
      Math.ceil(Number(limited.json.retry_after_ms) / 1000),
    );
  });

  it('can switch the rate limit off', async () => {
    sim.rateLimit({ enabled: false });
    for (let i = 0; i < 5; i++) expect((await send()).status).toBe(200);
  });

  it('injects a counted 429 on one operation, then recovers', async () => {
    sim.addFault({
      operationId: 'sendMessage',
      kind: 'error',
      status: 429,
      retryAfterMs: 1500,
      count: 1,
    });
    const first = await send();
    expect([first.status, first.json.errcode, first.json.retry_after_ms]).toEqual([
      429,
      'M_LIMIT_EXCEEDED',
      1500,
    ]);
    expect(first.headers.get('retry-after')).toBe('2');
    expect((await send()).status).toBe(200);
  });

  it('injects 500/502 by path regex via the HTTP control API', async () => {
    const added = await call(sim.baseUrl, 'POST', '/__sim/faults', {
      body: { path: '/sync$', kind: 'error', status: 502, count: 2 },
    });
    expect(added.json.id).toBeDefined();
    const a = await bot('GET', `${CS}/sync`, { query: { timeout: 0 } });
    expect([a.status, a.json.errcode]).toEqual([502, 'M_UNKNOWN']);
    await bot('GET', `${CS}/sync`, { query: { timeout: 0 } });
    expect((await bot('GET', `${CS}/sync`, { query: { timeout: 0 } })).status).toBe(200);
    const listed = await call(sim.baseUrl, 'GET', '/__sim/faults');
    expect(JSON.stringify(listed.data)).toContain('"hits":2');
  });

  it('slows responses down', async () => {
    sim.addFault({ operationId: 'getTokenOwner', kind: 'slow', delayMs: 300, count: 1 });
    const started = Date.now();
    expect((await bot('GET', `${CS}/account/whoami`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('drops connections', async () => {
    sim.addFault({ operationId: 'sendMessage', kind: 'drop', count: 1 });
    await expect(send()).rejects.toThrow();
    expect(sim.requests({ path: '/send/' }).at(-1)?.fault).toMatch(/drop/);
    expect((await send()).status).toBe(200);
  });

  it('applies probabilistic faults deterministically for a seed', async () => {
    const runs: number[][] = [];
    for (let r = 0; r < 2; r++) {
      const s = await startMatrixSimulator({
        seed: 7,
        faults: [{ path: '/versions', kind: 'error', status: 500, probability: 0.5 }],
      });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await call(s.baseUrl, 'GET', '/_matrix/client/versions')).status);
      runs.push(statuses);
      await s.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).toContain(500);
    expect(runs[0]).toContain(200);
  });
});

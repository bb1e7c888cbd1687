import { startMatrixSimulator, type MatrixSimulator } from './index';
import { call, CS } from './test-client';

describe('Matrix simulator: authentication', () => {
  let sim: MatrixSimulator;

  beforeAll(async () => {
    sim = await startMatrixSimulator({
      users: [{ user: 'bot', password: 'secret', displayName: 'Support Bot' }],
    });
  }, 30000);
  afterAll(() => sim.close());

  it('serves /versions without auth, including v1.11 (authenticated media)', async () => {
    const res = await call(sim.baseUrl, 'GET', '/_matrix/client/versions');
    expect(res.status).toBe(200);
    expect(res.json.versions).toContain('v1.11');
  });

  it('answers 401 M_MISSING_TOKEN without a token', async () => {
    const res = await call(sim.baseUrl, 'GET', `${CS}/account/whoami`);
    expect([res.status, res.json.errcode]).toEqual([401, 'M_MISSING_TOKEN']);
  });

  it('answers 401 M_UNKNOWN_TOKEN for an unknown token', async () => {
    const res = await call(sim.baseUrl, 'GET', `${CS}/account/whoami`, { token: 'nope' });
    expect([res.status, res.json.errcode]).toEqual([401, 'M_UNKNOWN_TOKEN']);
    expect(res.json.soft_logout).toBe(false);
  });

  it('logs in with m.login.password, keeps the device id, and revokes on logout', async () => {
    const login = await call(sim.baseUrl, 'POST', `${CS}/login`, {
      body: {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: 'bot' },
        password: 'secret',
        device_id: 'GATEWAY',
      },
    });
    expect(login.status).toBe(200);
    expect(login.json).toMatchObject({ user_id: '@bot:localhost', device_id: 'GATEWAY' });
    const token = String(login.json.access_token);
    const who = await call(sim.baseUrl, 'GET', `${CS}/account/whoami`, { token });
    expect(who.json).toMatchObject({ user_id: '@bot:localhost', device_id: 'GATEWAY' });
    expect((await call(sim.baseUrl, 'POST', `${CS}/logout`, { token, body: {} })).status).toBe(200);
    const after = await call(sim.baseUrl, 'GET', `${CS}/account/whoami`, { token });
    expect(after.json.errcode).toBe('M_UNKNOWN_TOKEN');
  });

  it('rejects a wrong password with 403 M_FORBIDDEN', async () => {
    const res = await call(sim.baseUrl, 'POST', `${CS}/login`, {
      body: {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: 'bot' },
        password: 'wrong',
      },
    });
    expect([res.status, res.json.errcode]).toEqual([403, 'M_FORBIDDEN']);
  });

  it('accepts the deprecated access_token query parameter', async () => {
    const { accessToken } = sim.createUser({ user: 'querier' });
    const res = await call(sim.baseUrl, 'GET', `${CS}/account/whoami`, {
      query: { access_token: accessToken },
    });
    expect(res.json.user_id).toBe('@querier:localhost');
  });

  it('serves profiles (displayname)', async () => {
    const res = await call(
      sim.baseUrl,
      'GET',
      `${CS}/profile/${encodeURIComponent('@bot:localhost')}`,
    );
    expect(res.json).toEqual({ displayname: 'Support Bot' });
  });
});

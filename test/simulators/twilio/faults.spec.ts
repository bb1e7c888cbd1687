import twilio from 'twilio';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { api, CUSTOMER, SMS_NUMBER, startFixture, type Fixture } from './test-fixtures';

describe('fault injection', () => {
  let fx: Fixture;
  let gateway: WebhookReceiver;

  beforeAll(async () => {
    gateway = await startWebhookReceiver();
    fx = await startFixture({ maxConcurrentRequests: 2, seed: 42 });
  });
  afterAll(async () => {
    await fx.sim.close();
    await gateway.close();
  });
  afterEach(() => fx.sim.clearFaults());

  const send = (body = 'x') =>
    api(fx, 'POST', '/Messages.json', { To: CUSTOMER, From: SMS_NUMBER, Body: body });

  it.each(['500', '502', '503'] as const)(
    '%s with a count, Twilio error body, then normal again',
    async (kind) => {
      fx.sim.addFault({ kind, path: '/Messages\\.json$', count: 2 });
      for (let i = 0; i < 2; i += 1) {
        const res = await send();
        expect(res.status).toBe(Number(kind));
        expect(res.body).toMatchObject({ status: Number(kind), code: 20500 });
      }
      expect((await send()).status).toBe(201);
      expect(fx.sim.faults()).toEqual([]);
    },
  );

  it('429 / 20429 only for the matching method', async () => {
    fx.sim.addFault({ kind: '429', method: 'POST' });
    expect((await send()).body).toMatchObject({
      status: 429,
      code: 20429,
      message: 'Too Many Requests',
    });
    expect((await api(fx, 'GET', '/Messages.json')).status).toBe(200);
    expect(fx.sim.requests().at(-2)?.fault).toMatch(/:429$/);
  });

  it('probability uses the seeded PRNG (reproducible)', async () => {
    fx.sim.addFault({ kind: '503', probability: 0.5, path: 'IncomingPhoneNumbers' });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1)
      statuses.push((await api(fx, 'GET', '/IncomingPhoneNumbers.json')).status);
    expect(statuses).toContain(503);
    expect(statuses).toContain(200);
  });

  it('slow responses', async () => {
    fx.sim.addFault({ kind: 'slow', delayMs: 150, count: 1 });
    const started = Date.now();
    expect((await send()).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('dropped connections', async () => {
    fx.sim.addFault({ kind: 'drop', count: 1 });
    await expect(send()).rejects.toThrow();
    expect((await send()).status).toBe(201);
  });

  it('too many concurrent requests per account -> 429 / 20429', async () => {
    fx.sim.addFault({ kind: 'slow', delayMs: 500, method: 'GET' });
    const results = await Promise.all([0, 1, 2, 3].map(() => api(fx, 'GET', '.json')));
    const codes = results.map((r) => (r.status === 200 ? 200 : Number(r.body.code)));
    expect(codes.filter((c) => c === 200)).toHaveLength(2);
    expect(codes.filter((c) => c === 20429)).toHaveLength(2);
  });

  it('webhook faults: bad signature, duplicate, drop, slow', async () => {
    const url = `${gateway.baseUrl}/status`;
    fx.sim.addFault({
      target: 'webhook',
      kind: 'bad-signature',
      webhookKind: 'status-callback',
      count: 1,
    });
    fx.sim.addFault({
      target: 'webhook',
      kind: 'duplicate',
      webhookKind: 'status-callback',
      count: 1,
    });
    fx.sim.addFault({ target: 'webhook', kind: 'drop', webhookKind: 'status-callback', count: 1 });
    const res = await api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      From: SMS_NUMBER,
      Body: 'x',
      StatusCallback: url,
    });
    const sid = String(res.body.sid);
    await fx.sim.waitForStatus(sid, 'delivered');
    const received = gateway.received.filter((r) => r.params.MessageSid === sid);
    // sending: bad signature; sent: twice (same idempotency token); delivered: dropped
    expect(received.map((r) => r.params.MessageStatus)).toEqual(['sending', 'sent', 'sent']);
    const valid = received.map((r) =>
      twilio.validateRequest(fx.account.authToken, r.headers['x-twilio-signature'], url, r.params),
    );
    expect(valid).toEqual([false, true, true]);
    expect(received[1].headers['i-twilio-idempotency-token']).toBe(
      received[2].headers['i-twilio-idempotency-token'],
    );
    expect(fx.sim.statusCallbacks(sid).at(-1)).toMatchObject({
      errorCode: 11200,
      responseStatus: null,
    });

    fx.sim.addFault({
      target: 'webhook',
      kind: 'slow',
      delayMs: 100,
      webhookKind: 'inbound',
      count: 1,
    });
    const started = Date.now();
    await fx.sim.injectInbound({
      from: CUSTOMER,
      to: SMS_NUMBER,
      body: 'hi',
      url: `${gateway.baseUrl}/in`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('rejects fault kinds that do not fit the target', () => {
    expect(() => fx.sim.addFault({ target: 'webhook', kind: '429' })).toThrow();
  });
});

import { type HubSpotSimulator, startHubSpotSimulator } from './server';
import { call, rec } from './test-helpers';

jest.setTimeout(30_000);

describe('HubSpot simulator: rate limits and fault injection', () => {
  let sim: HubSpotSimulator;

  beforeAll(async () => {
    sim = await startHubSpotSimulator({
      port: 0,
      faults: [
        { id: 'boot', method: 'GET', path: '/crm/v3/owners/{ownerId}', status: 502, count: 1 },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await sim.close();
  });

  it('applies HubSpot public-app defaults: 110 requests / 10 s per portal with headers', () => {
    expect(sim.options.rateLimit).toMatchObject({ enabled: true, max: 110, intervalMs: 10_000 });
  });

  it('answers 429 with HubSpot rate-limit headers and body once the window is used up', async () => {
    await call(sim, 'PUT', '/__sim/rate-limit', {
      body: { max: 5, intervalMs: 60_000, retryAfterHeader: true },
    });
    const p = sim.control.createPortal({ issueTokens: true });
    const other = sim.control.createPortal({ issueTokens: true });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 6; i++) {
      last = await call(sim, 'GET', '/crm/v3/owners', { token: p.accessToken });
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('x-hubspot-ratelimit-max')).toBe('5');
        expect(last.headers.get('x-hubspot-ratelimit-remaining')).toBe('4');
        expect(last.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('60000');
        expect(last.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last?.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(rec(last?.body)).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect(rec(last?.body).correlationId).toMatch(/^[0-9a-f-]{36}$/);
    // Per portal: another portal is unaffected.
    expect((await call(sim, 'GET', '/crm/v3/owners', { token: other.accessToken })).status).toBe(
      200,
    );
    await call(sim, 'PUT', '/__sim/rate-limit', { body: { enabled: false } });
    expect((await call(sim, 'GET', '/crm/v3/owners', { token: p.accessToken })).status).toBe(200);
  });

  it('injects statuses by count from options and from /__sim/faults', async () => {
    const p = sim.control.createPortal({ issueTokens: true });
    const ownerId = sim.state.ownersOf(p.portalId)[0].id;
    const first = await call(sim, 'GET', `/crm/v3/owners/${ownerId}`, { token: p.accessToken });
    expect(first.status).toBe(502);
    expect(rec(first.body).category).toBe('INTERNAL_ERROR');
    expect(
      (await call(sim, 'GET', `/crm/v3/owners/${ownerId}`, { token: p.accessToken })).status,
    ).toBe(200);

    const added = await call(sim, 'POST', '/__sim/faults', {
      body: { method: 'GET', path: '/crm/v3/**', status: 429, count: 2 },
    });
    expect(added.status).toBe(201);
    const got = [];
    for (let i = 0; i < 3; i++)
      got.push((await call(sim, 'GET', '/crm/v3/owners', { token: p.accessToken })).status);
    expect(got).toEqual([429, 429, 200]);
    const logged = sim.requests().filter((r) => r.fault === rec(added.body).id);
    expect(logged).toHaveLength(2);
  });

  it('injects 500s with a probability, deterministically for a seed', async () => {
    const p = sim.control.createPortal({ issueTokens: true });
    const fault = sim.faults.add({
      path: '/conversations/v3/conversations/inboxes',
      status: 500,
      probability: 0.5,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push(
        (
          await call(sim, 'GET', '/conversations/v3/conversations/inboxes', {
            token: p.accessToken,
          })
        ).status,
      );
    sim.faults.remove(fault.id);
    const failures = statuses.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(2);
    expect(failures).toBeLessThan(18);
    expect(statuses.filter((s) => s !== 500).every((s) => s === 200)).toBe(true);
  });

  it('delays responses and drops connections', async () => {
    const p = sim.control.createPortal({ issueTokens: true });
    sim.faults.add({ id: 'slow', path: '/crm/v3/owners', delayMs: 300, count: 1 });
    const t = Date.now();
    expect((await call(sim, 'GET', '/crm/v3/owners', { token: p.accessToken })).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    sim.faults.add({ id: 'drop', path: '/crm/v3/owners', drop: true, count: 1 });
    await expect(call(sim, 'GET', '/crm/v3/owners', { token: p.accessToken })).rejects.toThrow();
    expect((await call(sim, 'GET', '/crm/v3/owners', { token: p.accessToken })).status).toBe(200);
    expect((await call(sim, 'GET', '/__sim/faults')).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'drop', fired: 1 })]),
    );
    expect((await call(sim, 'DELETE', '/__sim/faults')).status).toBe(204);
  });
});

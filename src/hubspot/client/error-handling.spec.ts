import { PermanentError, RateLimitedError, RetryableError } from '../../core/adapter/errors';
import { type SimHarness, startSimHarness } from '../testing/sim-client';
import {
  HubSpotApiError,
  HubSpotRateLimitedError,
  HubSpotServerError,
  HubSpotTransportError,
} from './errors';

jest.setTimeout(60_000);

const INBOXES = '/conversations/v3/conversations/inboxes';

/** How HubSpot's failures reach the job queue: typed errors, decided by type, over real HTTP. */
describe('HubSpot error mapping against the simulator', () => {
  let h: SimHarness;
  let portalId: string;

  beforeAll(async () => {
    h = await startSimHarness(
      { rateLimit: { enabled: true, max: 3, intervalMs: 10_000, retryAfterHeader: true } },
      // The client's own limiter is set above the simulator's limit to provoke real 429s.
      {
        rateLimit: {
          window: { max: 1000, intervalMs: 10_000 },
          adoptServerLimits: false,
          maxWaitMs: 100,
        },
      },
    );
    portalId = (await h.install()).portalId;
  });
  afterEach(() => {
    h.sim.faults.clear();
    h.sim.rateLimiter.reset();
  });
  afterAll(() => h.close());

  const inboxes = () => h.kit.client.forPortal(portalId).conversations.listInboxes();

  it('turns a 429 into a RateLimitedError with retryAfterMs from Retry-After, then holds the portal back', async () => {
    for (let i = 0; i < 3; i++) await inboxes();
    const error = (await inboxes().catch((e: unknown) => e)) as HubSpotRateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toBeInstanceOf(HubSpotRateLimitedError);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(9_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(10_000);
    expect(error.policyName).toBe('TEN_SECONDLY_ROLLING');
    expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);

    // The limiter paused the portal for Retry-After: the next call does not even reach HubSpot.
    const calls = h.sim.requests().length;
    const local = (await inboxes().catch((e: unknown) => e)) as HubSpotRateLimitedError;
    expect(local).toBeInstanceOf(RateLimitedError);
    expect(local.policyName).toBe('PAUSED_AFTER_429');
    expect(h.sim.requests().length).toBe(calls);
  });

  it.each([500, 502, 503])('turns a %i into a RetryableError', async (status) => {
    const { kit } = h;
    const other = (await h.install()).portalId;
    h.sim.faults.add({ method: 'GET', path: INBOXES, status, count: 1 });
    const error = (await kit.client
      .forPortal(other)
      .conversations.listInboxes()
      .catch((e: unknown) => e)) as HubSpotServerError;
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toBeInstanceOf(HubSpotServerError);
    expect(error.status).toBe(status);
    await expect(kit.client.forPortal(other).conversations.listInboxes()).resolves.toBeDefined();
  });

  it('turns a timeout into a retryable transport error', async () => {
    const other = (await h.install()).portalId;
    await h.kit.client.forPortal(other).conversations.listInboxes(); // token and validator warm
    h.sim.faults.add({ method: 'GET', path: INBOXES, delayMs: 2_000, count: 1 });
    const error = (await h.kit.http
      .json({
        method: 'GET',
        path: INBOXES,
        auth: { type: 'portal', portalId: other },
        timeoutMs: 500,
      })
      .catch((e: unknown) => e)) as HubSpotTransportError;
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.kind).toBe('timeout');
  });

  it('turns a dropped connection into a retryable transport error', async () => {
    const other = (await h.install()).portalId;
    h.sim.faults.add({ method: 'GET', path: INBOXES, drop: true, count: 1 });
    const error = (await h.kit.client
      .forPortal(other)
      .conversations.listInboxes()
      .catch((e: unknown) => e)) as HubSpotTransportError;
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.kind).toBe('network');
  });

  it('turns a request the simulator finds schema-invalid into a PermanentError with message and correlationId', async () => {
    const other = (await h.install()).portalId;
    const error = (await h.kit.http
      .json({
        method: 'POST',
        path: '/crm/v3/objects/tickets',
        auth: { type: 'portal', portalId: other },
        json: { properties: { subject: 'no associations' } },
      })
      .catch((e: unknown) => e)) as HubSpotApiError;
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error.status).toBe(400);
    expect(error.category).toBe('VALIDATION_ERROR');
    expect(error.hubspotMessage).toContain("must have required property 'associations'");
    const logged = h.sim
      .requests()
      .filter((r) => r.path === '/crm/v3/objects/tickets')
      .pop();
    expect(error.correlationId).toBe(logged?.correlationId);
    expect(error.reason).toContain(error.correlationId);
  });

  it('turns a missing channel into a 404 PermanentError', async () => {
    const error = (await h.kit.client.channels
      .get('999999')
      .catch((e: unknown) => e)) as HubSpotApiError;
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.status).toBe(404);
    expect(error.reason).not.toContain('hapikey');
  });
});

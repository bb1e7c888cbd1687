import { PermanentError } from '../../core/adapter/errors';
import { HubSpotApiError, HubSpotInstallBrokenError } from '../client/errors';
import { type SimHarness, startSimHarness } from '../testing/sim-client';

jest.setTimeout(60_000);

/** OAuth refresh over real HTTP: the simulator issues expiring tokens and logs every request. */
describe('OAuth refresh against the simulator', () => {
  let h: SimHarness;

  beforeAll(async () => {
    h = await startSimHarness();
  });
  afterAll(() => h.close());

  const tokenCalls = (portalSince: number) =>
    h.sim
      .requests()
      .slice(portalSince)
      .filter((r) => r.method === 'POST' && r.path === '/oauth/v1/token');

  it('stores the tokens of a code exchange under the portal id', async () => {
    const { portalId } = await h.install();
    const stored = await h.store.load(portalId);
    expect(stored?.status).toBe('active');
    expect(stored?.scopes).toContain('conversations.custom_channels.write');
    expect(stored!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
  });

  it('refreshes an expired token exactly once for 10 parallel calls', async () => {
    // Installed by another process: this one first reads the (expired) token from the store.
    const created = h.sim.control.createPortal({ issueTokens: true });
    const portalId = created.portalId;
    h.sim.control.expireAccessTokens({ portalId });
    await h.store.save(portalId, {
      accessToken: created.accessToken!,
      refreshToken: created.refreshToken!,
      expiresAt: new Date(Date.now() - 1000),
      scopes: created.scopes,
    });
    const before = await h.store.load(portalId);
    const since = h.sim.requests().length;

    const pages = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.kit.client.forPortal(portalId).conversations.listInboxes(),
      ),
    );

    expect(pages.every((p) => p.results.length === 2)).toBe(true);
    expect(tokenCalls(since)).toHaveLength(1);
    const log = h.sim.requests().slice(since);
    expect(log.filter((r) => r.status === 401)).toHaveLength(0);
    const after = await h.store.load(portalId);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
  });

  it('refreshes once and retries when HubSpot answers 401 to a token we believed valid', async () => {
    const { portalId } = await h.install();
    h.sim.control.expireAccessTokens({ portalId });
    const since = h.sim.requests().length;

    const pages = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.kit.client.forPortal(portalId).conversations.listInboxes(),
      ),
    );

    expect(pages).toHaveLength(10);
    const log = h.sim.requests().slice(since);
    expect(tokenCalls(since)).toHaveLength(1);
    expect(log.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
    expect(log.filter((r) => r.path.endsWith('/inboxes') && r.status === 200)).toHaveLength(10);
  });

  it('gives up with a PermanentError when the refreshed token is rejected too', async () => {
    const { portalId } = await h.install();
    const stored = await h.store.load(portalId);
    // The stored token is unknown to HubSpot: 401, refresh, 401 again -> no endless loop.
    await h.store.save(portalId, { ...stored!, accessToken: 'not-a-token' });
    h.sim.faults.add({
      method: 'GET',
      path: '/conversations/v3/conversations/inboxes',
      status: 401,
      count: 2,
    });
    const error = await h.kit.client
      .forPortal(portalId)
      .conversations.listInboxes()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect((error as HubSpotApiError).status).toBe(401);
  });

  it('marks the install broken when the refresh token is rejected, and stops calling HubSpot', async () => {
    const { portalId } = await h.install();
    h.sim.control.uninstall(portalId);
    const since = h.sim.requests().length;

    const error = await h.kit.client
      .forPortal(portalId)
      .owners.list()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HubSpotInstallBrokenError);
    expect(error).toBeInstanceOf(PermanentError);
    const install = await h.store.load(portalId);
    expect(install?.status).toBe('broken');
    expect(install?.brokenReason).toMatch(
      /refresh token rejected by HubSpot: .+ \(correlationId [0-9a-f-]+\)/,
    );
    expect(tokenCalls(since)).toHaveLength(1);

    const calls = h.sim.requests().length;
    await expect(h.kit.client.forPortal(portalId).owners.list()).rejects.toBeInstanceOf(
      HubSpotInstallBrokenError,
    );
    expect(h.sim.requests().length).toBe(calls);
  });
});

import { type HubSpotSimulator, startHubSpotSimulator } from './server';
import { call, DEFAULT_CAPABILITIES, rec, type Receiver, startReceiver } from './test-helpers';

jest.setTimeout(30_000);

/**
 * A fake gateway: its connect page PATCHes the staging token with the portal's token and
 * redirects the browser to redirectUrl, exactly as spec 4.3 describes.
 */
describe('HubSpot simulator: OAuth install and the staging-token connect flow', () => {
  let sim: HubSpotSimulator;
  let gateway: Receiver;
  let channelId = '';
  let accessToken = '';
  let portalId = '';

  beforeAll(async () => {
    sim = await startHubSpotSimulator({ port: 0, webhookTimeScale: 0.0001 });
    gateway = await startReceiver();
    gateway.handler = async (req, res) => {
      if (!req.url.startsWith('/hubspot/connect')) return false;
      const q = new URL(req.url, gateway.url).searchParams;
      const patch = await call(
        sim,
        'PATCH',
        `/conversations/v3/custom-channels/${q.get('channelId') ?? ''}/channel-account-staging-tokens/${q.get('accountToken') ?? ''}`,
        {
          token: accessToken,
          body: {
            accountName: 'Acme bot',
            deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-bot' },
          },
        },
      );
      if (patch.status !== 200) {
        res.statusCode = 500;
        res.end(JSON.stringify(patch.body));
        return true;
      }
      res.statusCode = 302;
      res.setHeader('location', q.get('redirectUrl') ?? '');
      res.end();
      return true;
    };
  }, 60_000);
  afterAll(async () => {
    await sim.close();
    await gateway.close();
  });

  it('installs through /oauth/authorize and exchanges/refreshes tokens', async () => {
    const redirectUri = `${gateway.url}/oauth/callback`;
    const auth = await fetch(
      `${sim.baseUrl}/oauth/authorize?client_id=${sim.app.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=${encodeURIComponent('oauth conversations.custom_channels.read conversations.custom_channels.write conversations.read tickets files')}&state=xyz`,
      { redirect: 'manual' },
    );
    expect(auth.status).toBe(302);
    const location = new URL(auth.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code') ?? '';
    const form = (fields: Record<string, string>) =>
      fetch(`${sim.baseUrl}/oauth/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const base = { client_id: sim.app.clientId, client_secret: sim.app.clientSecret };
    const tokenRes = await form({
      ...base,
      grant_type: 'authorization_code',
      redirect_uri: redirectUri,
      code,
    });
    expect(tokenRes.status).toBe(200);
    const tokens = rec(await tokenRes.json());
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 1800 });
    accessToken = String(tokens.access_token);
    portalId = String(tokens.hub_id);
    // A code is single-use.
    const reuse = await form({
      ...base,
      grant_type: 'authorization_code',
      redirect_uri: redirectUri,
      code,
    });
    expect(reuse.status).toBe(400);
    expect(rec(await reuse.json()).status).toBe('BAD_AUTH_CODE');
    const refreshed = rec(
      await (
        await form({
          ...base,
          grant_type: 'refresh_token',
          refresh_token: String(tokens.refresh_token),
        })
      ).json(),
    );
    expect(refreshed.access_token).not.toBe(accessToken);
    accessToken = String(refreshed.access_token);
    const info = rec((await call(sim, 'GET', `/oauth/v1/access-tokens/${accessToken}`)).body);
    expect(info).toMatchObject({ hub_id: Number(portalId), app_id: sim.app.appId });
    const badSecret = await form({
      ...base,
      client_secret: 'nope',
      grant_type: 'refresh_token',
      refresh_token: String(tokens.refresh_token),
    });
    expect(rec(await badSecret.json()).status).toBe('BAD_CLIENT_SECRET');
    // Revoked refresh token -> BAD_REFRESH_TOKEN.
    const other = sim.control.createPortal({ issueTokens: true });
    expect(
      (await call(sim, 'DELETE', `/oauth/v1/refresh-tokens/${other.refreshToken ?? ''}`)).status,
    ).toBe(204);
    const revoked = await form({
      ...base,
      grant_type: 'refresh_token',
      refresh_token: other.refreshToken ?? '',
    });
    expect(revoked.status).toBe(400);
    expect(rec(await revoked.json())).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
    const bogus = await form({ ...base, grant_type: 'refresh_token', refresh_token: 'nope' });
    expect(rec(await bogus.json()).status).toBe('BAD_REFRESH_TOKEN');
  });

  it('connects an account: connect URL -> gateway PATCHes the staging token -> redirect -> CHANNEL_ACCOUNT_CREATED', async () => {
    const created = await call(
      sim,
      'POST',
      `/conversations/v3/custom-channels?hapikey=${sim.app.developerApiKey}&appId=${sim.app.appId}`,
      {
        body: {
          name: 'Acme',
          webhookUrl: `${gateway.url}/hubspot/webhook`,
          channelAccountConnectionRedirectUrl: `${gateway.url}/hubspot/connect?x=1`,
          capabilities: DEFAULT_CAPABILITIES,
        },
      },
    );
    channelId = String(rec(created.body).id);
    const helpDesk = [...sim.state.inboxes.values()].find(
      (i) => i.portalId === portalId && i.type === 'HELP_DESK',
    );
    const res = await call(sim, 'POST', `/__sim/channels/${channelId}/connect`, {
      body: { portalId, inboxId: helpDesk?.id },
    });
    expect(res.status).toBe(200);
    const result = rec(res.body);
    expect(result.error).toBeUndefined();
    expect(result.completed).toBe(true);
    const connectUrl = new URL(String(result.connectUrl));
    expect(connectUrl.searchParams.get('channelId')).toBe(channelId);
    expect(connectUrl.searchParams.get('accountToken')).toBe(result.accountToken);
    expect(connectUrl.searchParams.get('redirectUrl')).toBe(result.redirectUrl);
    expect(connectUrl.searchParams.get('x')).toBe('1');
    const account = rec(result.channelAccount);
    expect(account).toMatchObject({
      channelId,
      portalId,
      inboxId: helpDesk?.id,
      name: 'Acme bot',
      authorized: true,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'acme-bot' },
    });
    await sim.waitForWebhooks();
    const event = gateway.received.find(
      (r) => r.url === '/hubspot/webhook' && r.body.includes('CHANNEL_ACCOUNT_CREATED'),
    );
    expect(JSON.parse(event?.body ?? '{}')).toMatchObject({
      type: 'CHANNEL_ACCOUNT_CREATED',
      portalId,
      channelId,
      channelAccountId: account.id,
    });
    const got = await call(
      sim,
      'GET',
      `/conversations/v3/custom-channels/${channelId}/channel-accounts/${String(account.id)}`,
      { token: accessToken },
    );
    expect(rec(got.body)).toMatchObject({
      id: account.id,
      authorized: true,
      active: true,
      archived: false,
    });
    // Re-finalising the same staging token -> 409.
    const again = await call(
      sim,
      'PATCH',
      `/conversations/v3/custom-channels/${channelId}/channel-account-staging-tokens/${String(result.accountToken)}`,
      { token: accessToken, body: { accountName: 'x' } },
    );
    expect(again.status).toBe(409);
    const revisit = await fetch(String(result.redirectUrl));
    expect(revisit.status).toBe(409);
  });

  it('exposes the pieces for a browser test and refuses to finalise an unpatched token', async () => {
    const pieces = rec(
      (await call(sim, 'POST', `/__sim/channels/${channelId}/connect-url`, { body: { portalId } }))
        .body,
    );
    const early = await fetch(String(pieces.redirectUrl));
    expect(early.status).toBe(400);
    const unknownToken = await call(
      sim,
      'PATCH',
      `/conversations/v3/custom-channels/${channelId}/channel-account-staging-tokens/nope`,
      { token: accessToken, body: { accountName: 'x' } },
    );
    expect(unknownToken.status).toBe(404);
    const badId = await call(
      sim,
      'PATCH',
      `/conversations/v3/custom-channels/${channelId}/channel-account-staging-tokens/${String(pieces.accountToken)}`,
      {
        token: accessToken,
        body: { accountName: 'x', deliveryIdentifier: { type: 'HS_SHORT_CODE', value: '123' } },
      },
    );
    expect(badId.status).toBe(400);
    const page = await fetch(String(pieces.connectUrl), { redirect: 'manual' });
    expect(page.status).toBe(302);
    const done = await fetch(page.headers.get('location') ?? '');
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('id="connected"');
  });

  it('account lifecycle hooks send CHANNEL_ACCOUNT_UPDATED', async () => {
    const account = [...sim.state.channelAccounts.values()].find((a) => a.channelId === channelId);
    const id = account?.id ?? '';
    for (const action of ['deactivate', 'reactivate', 'rename', 'archive']) {
      const res = await call(sim, 'POST', `/__sim/channel-accounts/${id}/${action}`, {
        body: { name: 'Renamed' },
      });
      expect(res.status).toBe(200);
    }
    await sim.waitForWebhooks();
    const updates = sim.webhookDeliveries({ eventType: 'CHANNEL_ACCOUNT_UPDATED', channelId });
    expect(updates.filter((u) => u.body.includes(`"channelAccountId":"${id}"`))).toHaveLength(4);
    expect(updates.every((u) => u.state === 'DELIVERED')).toBe(true);
    const archived = await call(
      sim,
      'GET',
      `/conversations/v3/custom-channels/${channelId}/channel-accounts/${id}?archived=true`,
      { token: accessToken },
    );
    expect(rec(archived.body)).toMatchObject({
      archived: true,
      authorized: false,
      name: 'Renamed',
    });
  });
});

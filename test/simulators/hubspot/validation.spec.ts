import { type HubSpotSimulator, startHubSpotSimulator } from './server';
import {
  call,
  DEFAULT_CAPABILITIES,
  type Fixture,
  incoming,
  rec,
  setupChannel,
} from './test-helpers';

jest.setTimeout(30_000);

describe('HubSpot simulator: OpenAPI validation and authentication', () => {
  let sim: HubSpotSimulator;
  let f: Fixture;

  beforeAll(async () => {
    sim = await startHubSpotSimulator({ port: 0 });
    f = await setupChannel(sim);
  }, 60_000);
  afterAll(async () => {
    await sim.close();
  });

  const publish = (body: unknown, token = f.token) =>
    call(sim, 'POST', `/conversations/v3/custom-channels/${f.channelId}/messages`, { token, body });

  function expectValidationError(body: unknown): Record<string, unknown> {
    const b = rec(body);
    expect(b).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(typeof b.message).toBe('string');
    expect(b.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    return b;
  }

  it('rejects a schema-violating publish with 400 and HubSpot error details', async () => {
    const res = await publish({ ...incoming(f), messageDirection: 'SIDEWAYS', text: 42 });
    expect(res.status).toBe(400);
    const b = expectValidationError(res.body);
    const errors = b.errors as { message: string; in?: string }[];
    expect(errors.map((e) => e.in)).toEqual(expect.arrayContaining(['messageDirection', 'text']));
  });

  it('enforces the required fields our spec says HubSpot enforces (senders non-empty)', async () => {
    const res = await publish({ ...incoming(f), senders: [] });
    expect(res.status).toBe(400);
    expectValidationError(res.body);
    const noText = incoming(f);
    delete noText.text;
    expect((await publish(noText)).status).toBe(400);
  });

  it('is lenient where HubSpot is: recipients/timestamp/attachments may be omitted', async () => {
    const body = incoming(f, { integrationThreadId: 'lenient' });
    delete body.recipients;
    delete body.timestamp;
    delete body.attachments;
    expect((await publish(body)).status).toBe(201);
  });

  it('validates path parameters against the document (channelId is int32)', async () => {
    const res = await call(sim, 'POST', '/conversations/v3/custom-channels/not-a-number/messages', {
      token: f.token,
      body: incoming(f),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('channelId');
  });

  it('rejects unknown query parameters and wrongly typed ones', async () => {
    const base = `/conversations/v3/custom-channels/${f.channelId}/channel-accounts`;
    expect((await call(sim, 'GET', `${base}?bogus=1`, { token: f.token })).status).toBe(400);
    expect((await call(sim, 'GET', `${base}?limit=abc`, { token: f.token })).status).toBe(400);
    expect(
      (await call(sim, 'GET', `${base}?deliveryIdentifierType=NOPE`, { token: f.token })).status,
    ).toBe(400);
    const ok = await call(
      sim,
      'GET',
      `${base}?deliveryIdentifierType=CHANNEL_SPECIFIC_OPAQUE_ID&limit=10`,
      { token: f.token },
    );
    expect(ok.status).toBe(200);
    expect(rec(ok.body).total).toBe(1);
  });

  it('rejects an unparsable JSON body', async () => {
    const res = await fetch(
      `${sim.baseUrl}/conversations/v3/custom-channels/${f.channelId}/messages`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
        body: '{"text": ',
      },
    );
    expect(res.status).toBe(400);
    expectValidationError(await res.json());
  });

  it('rejects invalid capabilities with INVALID_CHANNEL_CAPABILITY_VALUES', async () => {
    const res = await call(
      sim,
      'POST',
      `/conversations/v3/custom-channels?hapikey=${sim.app.developerApiKey}&appId=${sim.app.appId}`,
      {
        body: {
          name: 'Bad',
          capabilities: {
            ...DEFAULT_CAPABILITIES,
            deliveryIdentifierTypes: [{ type: 'HS_EMAIL_ADDRESS' }],
            threadingModel: 'WHATEVER',
          },
        },
      },
    );
    expect(res.status).toBe(400);
    const b = expectValidationError(res.body);
    expect(b.subCategory).toBe('CustomChannelsError.INVALID_CHANNEL_CAPABILITY_VALUES');
    expect(rec(b.context).capabilityKeysAndValues).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"deliveryIdentifierTypes"'),
        expect.stringContaining('"threadingModel"'),
      ]),
    );
  });

  it('validates delivery identifiers (format and channel types)', async () => {
    const badEmail = await publish(
      incoming(f, {}, { type: 'HS_EMAIL_ADDRESS', value: 'not an email' }),
    );
    expect(badEmail.status).toBe(400);
    const badPhone = await publish(
      incoming(f, {}, { type: 'HS_PHONE_NUMBER', value: '0049 30 1234' }),
    );
    expect(badPhone.status).toBe(400);
    const shortCode = await publish(incoming(f, {}, { type: 'HS_SHORT_CODE', value: '12345' }));
    expect(shortCode.status).toBe(400);
    expect(rec(shortCode.body).message).toContain('not supported by this channel');
    const ok = await publish(
      incoming(
        f,
        { integrationThreadId: 'id-ok' },
        { type: 'HS_PHONE_NUMBER', value: '+14155550100' },
      ),
    );
    expect(ok.status).toBe(201);
  });

  it('answers 401 INVALID_AUTHENTICATION for missing or unknown tokens', async () => {
    const missing = await call(
      sim,
      'POST',
      `/conversations/v3/custom-channels/${f.channelId}/messages`,
      { body: incoming(f) },
    );
    expect(missing.status).toBe(401);
    expect(rec(missing.body)).toMatchObject({
      status: 'error',
      category: 'INVALID_AUTHENTICATION',
    });
    const wrong = await publish(incoming(f), 'nope');
    expect(wrong.status).toBe(401);
    expect(rec(wrong.body).category).toBe('INVALID_AUTHENTICATION');
    // Authentication comes before validation.
    expect((await publish({ junk: true }, 'nope')).status).toBe(401);
  });

  it('answers 401 EXPIRED_AUTHENTICATION for expired tokens', async () => {
    const p = sim.control.createPortal({ issueTokens: true });
    sim.control.expireAccessTokens({ accessToken: p.accessToken });
    const res = await call(sim, 'GET', '/conversations/v3/conversations/inboxes', {
      token: p.accessToken,
    });
    expect(res.status).toBe(401);
    expect(rec(res.body).category).toBe('EXPIRED_AUTHENTICATION');
  });

  it('answers 403 MISSING_SCOPES when the token lacks the operation scopes', async () => {
    const p = sim.control.createPortal({ issueTokens: true, scopes: ['oauth'] });
    const res = await call(sim, 'GET', '/conversations/v3/conversations/inboxes', {
      token: p.accessToken,
    });
    expect(res.status).toBe(403);
    expect(rec(res.body).category).toBe('MISSING_SCOPES');
  });

  it('requires the developer API key (and appId) on channel definitions', async () => {
    const noKey = await call(sim, 'GET', `/conversations/v3/custom-channels/${f.channelId}`);
    expect(noKey.status).toBe(401);
    expect(rec(noKey.body).category).toBe('INVALID_AUTHENTICATION');
    const wrongKey = await call(
      sim,
      'GET',
      `/conversations/v3/custom-channels/${f.channelId}?hapikey=wrong`,
    );
    expect(wrongKey.status).toBe(401);
    const bearer = await call(sim, 'GET', `/conversations/v3/custom-channels/${f.channelId}`, {
      token: f.token,
    });
    expect(bearer.status).toBe(401);
    const noApp = await call(
      sim,
      'GET',
      `/conversations/v3/custom-channels?hapikey=${sim.app.developerApiKey}`,
    );
    expect(noApp.status).toBe(400);
    const list = await call(
      sim,
      'GET',
      `/conversations/v3/custom-channels/?hapikey=${sim.app.developerApiKey}&appId=${sim.app.appId}`,
    );
    expect(list.status).toBe(200);
    expect(rec(list.body).total).toBeGreaterThanOrEqual(1);
    const dated = await call(
      sim,
      'GET',
      `/conversations/custom-channels/2026-03/${f.channelId}?hapikey=${sim.app.developerApiKey}`,
    );
    expect(dated.status).toBe(200);
  });

  it('channel PATCH requires the SDK field set and replaces capabilities; DELETE archives', async () => {
    const key = `hapikey=${sim.app.developerApiKey}`;
    const partial = await call(
      sim,
      'PATCH',
      `/conversations/v3/custom-channels/${f.channelId}?${key}`,
      { body: { name: 'x' } },
    );
    expect(partial.status).toBe(400);
    const caps = { ...DEFAULT_CAPABILITIES, allowOutgoingMessages: false };
    const full = await call(
      sim,
      'PATCH',
      `/conversations/v3/custom-channels/${f.channelId}?${key}`,
      {
        body: {
          name: 'Renamed',
          capabilities: caps,
          channelDescription: 'd',
          channelLogoUrl: 'http://127.0.0.1/logo.png',
        },
      },
    );
    expect(full.status).toBe(200);
    expect(rec(full.body)).toMatchObject({ id: f.channelId, name: 'Renamed', capabilities: caps });
    const other = await setupChannel(sim);
    const del = await call(
      sim,
      'DELETE',
      `/conversations/v3/custom-channels/${other.channelId}?${key}`,
    );
    expect(del.status).toBe(204);
    expect(
      (await call(sim, 'GET', `/conversations/v3/custom-channels/${other.channelId}?${key}`))
        .status,
    ).toBe(404);
  });

  it('answers unknown routes with a HubSpot-shaped 404', async () => {
    const res = await call(sim, 'GET', '/crm/v3/objects/nothing', { token: f.token });
    expect(res.status).toBe(404);
    expect(rec(res.body).category).toBe('OBJECT_NOT_FOUND');
  });
});

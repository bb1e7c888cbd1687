import { type HubSpotSimulator, startHubSpotSimulator } from './server';
import { call, incoming, rec, setupChannel } from './test-helpers';

jest.setTimeout(30_000);

const SEARCH = '/crm/v3/objects/contacts/search';

interface Found {
  total: number;
  ids: string[];
  properties: Record<string, unknown>[];
  after?: string;
}

describe('HubSpot simulator: CRM contacts search', () => {
  let sim: HubSpotSimulator;

  beforeAll(async () => {
    sim = await startHubSpotSimulator({ port: 0, webhookTimeScale: 0.0001 });
  }, 60_000);
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await call(sim, 'PUT', '/__sim/rate-limit', { body: { enabled: false } });
  });

  const seed = async (body: Record<string, unknown>): Promise<string> => {
    const r = await call(sim, 'POST', '/__sim/contacts', { body });
    expect(r.status).toBe(201);
    return String(rec(r.body).id);
  };

  const request = (
    filters: Record<string, unknown>[],
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    filterGroups: filters.length > 0 ? [{ filters }] : [],
    properties: ['email', 'phone', 'mobilephone', 'hubspot_owner_id', 'firstname'],
    sorts: [],
    limit: 10,
    after: '0',
    ...extra,
  });

  const search = async (token: string | undefined, body: unknown): Promise<Found> => {
    const r = await call(sim, 'POST', SEARCH, { token, body });
    expect(r.status).toBe(200);
    const b = rec(r.body);
    const results = (b.results as unknown[]).map(rec);
    const paging = b.paging === undefined ? undefined : rec(rec(b.paging).next);
    return {
      total: Number(b.total),
      ids: results.map((x) => String(x.id)),
      properties: results.map((x) => rec(x.properties)),
      after: paging === undefined ? undefined : String(paging.after),
    };
  };

  it('finds contacts seeded through the control API by email (any case) and by phone (any formatting)', async () => {
    const portal = sim.control.createPortal({ issueTokens: true });
    const owner = sim.control.addOwner(portal.portalId, { email: 'agent@example.com' });
    const carla = await seed({
      portalId: portal.portalId,
      email: 'Carla@Example.com',
      phone: '+1 (415) 555-0100',
      firstname: 'Carla',
      ownerId: owner.id,
    });
    const dan = await seed({
      portalId: portal.portalId,
      email: 'dan@example.com',
      mobilephone: '+4915112345678',
    });
    const token = portal.accessToken;

    const byEmail = await search(
      token,
      request([{ propertyName: 'email', operator: 'EQ', value: 'carla@EXAMPLE.com' }]),
    );
    expect(byEmail.ids).toEqual([carla]);
    expect(byEmail.total).toBe(1);
    expect(byEmail.properties[0]).toEqual({
      email: 'Carla@Example.com',
      phone: '+1 (415) 555-0100',
      mobilephone: null,
      hubspot_owner_id: owner.id,
      firstname: 'Carla',
    });

    const byPhone = await search(
      token,
      request([{ propertyName: 'phone', operator: 'EQ', value: '+14155550100' }]),
    );
    expect(byPhone.ids).toEqual([carla]);
    const byMobile = await search(
      token,
      request([{ propertyName: 'mobilephone', operator: 'EQ', value: '+49 151 1234 5678' }]),
    );
    expect(byMobile.ids).toEqual([dan]);
    const noMatch = await search(
      token,
      request([{ propertyName: 'phone', operator: 'EQ', value: '+4915112345678' }]),
    );
    expect(noMatch).toMatchObject({ total: 0, ids: [] });

    const byId = await search(
      token,
      request([{ propertyName: 'hs_object_id', operator: 'EQ', value: dan }]),
    );
    expect(byId.ids).toEqual([dan]);
    const byIn = await search(
      token,
      request([
        { propertyName: 'email', operator: 'IN', values: ['DAN@example.com', 'x@example.com'] },
      ]),
    );
    expect(byIn.ids).toEqual([dan]);
    // Filter groups are ORed, filters within a group ANDed.
    const either = await search(token, {
      ...request([]),
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: 'EQ', value: 'dan@example.com' }] },
        {
          filters: [
            { propertyName: 'phone', operator: 'EQ', value: '+14155550100' },
            { propertyName: 'firstname', operator: 'EQ', value: 'Carla' },
          ],
        },
      ],
    });
    expect(either.ids.sort()).toEqual([carla, dan].sort());
  });

  it('only searches the token portal, sorts, pages with total and answers default properties', async () => {
    const portal = sim.control.createPortal({ issueTokens: true });
    const other = sim.control.createPortal({ issueTokens: true });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await seed({ portalId: portal.portalId, email: `p${i}@example.com` }));
    }
    await seed({ portalId: other.portalId, email: 'p0@example.com' });
    const has = [{ propertyName: 'email', operator: 'HAS_PROPERTY' }];

    const first = await search(portal.accessToken, request(has, { limit: 2 }));
    expect(first).toMatchObject({ total: 3, ids: ids.slice(0, 2), after: '2' });
    const second = await search(portal.accessToken, request(has, { limit: 2, after: '2' }));
    expect(second).toMatchObject({ total: 3, ids: ids.slice(2), after: undefined });

    const newestFirst = await search(
      portal.accessToken,
      request(has, { sorts: ['-hs_object_id'] }),
    );
    expect(newestFirst.ids).toEqual([...ids].reverse());

    const defaults = await search(
      other.accessToken,
      request([{ propertyName: 'email', operator: 'EQ', value: 'p0@example.com' }], {
        properties: [],
      }),
    );
    expect(defaults.ids).toHaveLength(1);
    expect(Object.keys(defaults.properties[0]).sort()).toEqual([
      'createdate',
      'email',
      'firstname',
      'hs_object_id',
      'lastmodifieddate',
      'lastname',
    ]);
  });

  it('finds the contact HubSpot created from an email sender (Email capture)', async () => {
    const f = await setupChannel(sim);
    const published = await call(
      sim,
      'POST',
      `/conversations/v3/custom-channels/${f.channelId}/messages`,
      {
        token: f.token,
        body: incoming(f, {}, { type: 'HS_EMAIL_ADDRESS', value: 'New.Customer@example.com' }),
      },
    );
    expect(published.status).toBe(201);
    const found = await search(
      f.token,
      request([{ propertyName: 'email', operator: 'EQ', value: 'new.customer@example.com' }]),
    );
    expect(found.total).toBe(1);
    expect(found.properties[0].firstname).toBe('Carla');
  });

  it('validates the body with the generic CRM search schema and checks authentication and scopes', async () => {
    const portal = sim.control.createPortal({ issueTokens: true });
    const missing = await call(sim, 'POST', SEARCH, {
      token: portal.accessToken,
      body: { filterGroups: [] },
    });
    expect(missing.status).toBe(400);
    expect(rec(missing.body).category).toBe('VALIDATION_ERROR');
    const badOperator = await call(sim, 'POST', SEARCH, {
      token: portal.accessToken,
      body: request([{ propertyName: 'email', operator: 'EQUALS', value: 'a@b.c' }]),
    });
    expect(badOperator.status).toBe(400);
    const tooManyGroups = await call(sim, 'POST', SEARCH, {
      token: portal.accessToken,
      body: {
        ...request([]),
        filterGroups: Array.from({ length: 7 }, () => ({
          filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }],
        })),
      },
    });
    expect(tooManyGroups.status).toBe(400);

    const anonymous = await call(sim, 'POST', SEARCH, { body: request([]) });
    expect(anonymous.status).toBe(401);
    const withoutContactScopes = sim.control.createPortal({
      issueTokens: true,
      scopes: ['oauth', 'tickets', 'conversations.read'],
    });
    const forbidden = await call(sim, 'POST', SEARCH, {
      token: withoutContactScopes.accessToken,
      body: request([]),
    });
    expect(forbidden.status).toBe(403);
    expect(rec(forbidden.body).category).toBe('MISSING_SCOPES');
  });

  it('counts against the per-portal rate limit like every API call', async () => {
    await call(sim, 'PUT', '/__sim/rate-limit', {
      body: { enabled: true, max: 2, intervalMs: 60_000 },
    });
    const portal = sim.control.createPortal({ issueTokens: true });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(sim, 'POST', SEARCH, { token: portal.accessToken, body: request([]) });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});

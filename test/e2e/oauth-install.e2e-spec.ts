import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DataSource } from 'typeorm';
import type { GatewayHealth } from '../../src/core/observability/health.service';
import { InstallRepository } from '../../src/core/persistence/repositories/install.repository';
import {
  HUBSPOT_OPTIONAL_SCOPES,
  HUBSPOT_REQUIRED_SCOPES,
} from '../../src/hubspot/oauth-install/hubspot-scopes';
import { startHubSpotSimulator, type HubSpotSimulator } from '../simulators/hubspot';
import { startTestGateway, type TestGateway } from '../support/test-gateway';

jest.setTimeout(90_000);

const CHROMIUM = '/usr/bin/chromium';

describe('HubSpot app install (gateway /oauth/install → HubSpot consent → /oauth/callback)', () => {
  let sim: HubSpotSimulator;
  let gateway: TestGateway;

  beforeAll(async () => {
    sim = await startHubSpotSimulator({ port: 0 });
    gateway = await startTestGateway({
      env: {
        HUBSPOT_API_BASE_URL: sim.baseUrl,
        HUBSPOT_CLIENT_ID: sim.app.clientId,
        HUBSPOT_CLIENT_SECRET: sim.app.clientSecret,
        HUBSPOT_AUTHORIZE_URL: `${sim.baseUrl}/oauth/authorize`,
      },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await sim?.close();
  });

  const installs = () => gateway.app.get(InstallRepository);
  const tokenCalls = () =>
    sim.requests().filter((r) => r.method === 'POST' && r.path === '/oauth/v1/token').length;

  /** Location of the gateway's /oauth/install redirect (HubSpot's consent URL). */
  async function startInstall(): Promise<URL> {
    const response = await fetch(`${gateway.url}/oauth/install`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return new URL(response.headers.get('location') ?? '');
  }

  async function callback(query: Record<string, string>): Promise<Response> {
    return fetch(`${gateway.url}/oauth/callback?${new URLSearchParams(query).toString()}`, {
      redirect: 'manual',
    });
  }

  it('installs a portal over real HTTP and stores its tokens encrypted', async () => {
    const { portalId } = sim.control.createPortal();
    const authorize = await startInstall();
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${sim.baseUrl}/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(sim.app.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${gateway.url}/oauth/callback`);
    expect(authorize.searchParams.get('scope')).toBe(HUBSPOT_REQUIRED_SCOPES.join(' '));
    expect(authorize.toString()).toContain('scope=conversations.custom_channels.read%20');
    expect(authorize.searchParams.get('optional_scope')).toBe(HUBSPOT_OPTIONAL_SCOPES.join(' '));
    const state = authorize.searchParams.get('state') ?? '';
    expect(state).toMatch(/^v1\./);

    // HubSpot's consent page (the simulator approves at once) sends the browser back.
    authorize.searchParams.set('portalId', portalId);
    const consent = await fetch(authorize, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(`${gateway.url}/oauth/callback`);
    expect(back.searchParams.get('state')).toBe(state);

    const page = await fetch(back, { redirect: 'manual' });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).toContain(`<strong id="portal-id">${portalId}</strong>`);
    expect(html).toContain('Connect a channel');

    const issued = [...sim.state.accessTokens.values()].filter((t) => t.portalId === portalId);
    expect(issued).toHaveLength(1);
    const { token, refreshToken } = issued[0];
    const stored = await installs().findByPortal(portalId);
    expect(stored).toMatchObject({ portalId, accessToken: token, refreshToken, status: 'active' });
    expect(stored?.scopes).toEqual(expect.arrayContaining([...HUBSPOT_REQUIRED_SCOPES]));
    expect(stored!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 20 * 60_000);

    // Encrypted at rest: the raw row holds neither token.
    const rows: unknown[] = await gateway.app
      .get(DataSource)
      .query('SELECT * FROM hubspot_installs WHERE portal_id = ?', [portalId]);
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(refreshToken);

    const health = (await (await fetch(`${gateway.url}/health`)).json()) as GatewayHealth;
    expect(health.hubspot.installs).toContainEqual({ portalId, status: 'active' });

    // Nothing secret reached the logs or the page.
    const logs = JSON.stringify(gateway.logs());
    for (const secret of [
      token,
      refreshToken,
      sim.app.clientSecret,
      back.searchParams.get('code'),
    ]) {
      expect(logs).not.toContain(secret);
      expect(html).not.toContain(secret);
    }
    expect(gateway.logs()).toContainEqual(
      expect.objectContaining({ msg: 'HubSpot app installed', portalId }),
    );
  });

  it('denied consent (HubSpot error query): 400 page with HubSpot description, nothing stored', async () => {
    const before = (await installs().list()).length;
    const calls = tokenCalls();
    const state = (await startInstall()).searchParams.get('state') ?? '';
    const response = await callback({
      error: 'access_denied',
      error_description: 'The user <b>denied</b> access',
      state,
    });
    const html = await response.text();
    expect(response.status).toBe(400);
    expect(html).toContain('<h1 id="failed">The installation was not approved</h1>');
    expect(html).toContain('The user &lt;b&gt;denied&lt;/b&gt; access');
    expect(html).toContain('<code>access_denied</code>');
    expect(html).toContain('<a href="/oauth/install">');
    expect((await installs().list()).length).toBe(before);
    expect(tokenCalls()).toBe(calls);
    const forged = await callback({
      error: 'access_denied',
      error_description: 'Call +1 555 0100 to finish',
      state: 'forged',
    });
    expect(forged.status).toBe(400);
    const forgedHtml = await forged.text();
    expect(forgedHtml).toContain('HubSpot did not grant access to the account.');
    expect(forgedHtml).not.toContain('555 0100');
  });

  it('bad state: 400 page, the code is never exchanged, nothing stored', async () => {
    const portal = sim.control.createPortal({ redirectUri: `${gateway.url}/oauth/callback` });
    const good = (await startInstall()).searchParams.get('state') ?? '';
    const calls = tokenCalls();
    for (const state of ['', 'forged', `${good}x`, good.replace(/\.[^.]+\./, '.e30.')]) {
      const response = await callback({ code: portal.authorizationCode, state });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('This installation link is invalid or has expired');
    }
    expect(tokenCalls()).toBe(calls);
    expect(await installs().findByPortal(portal.portalId)).toBeUndefined();
  });

  it('invalid code: HubSpot answers BAD_AUTH_CODE → 502 page with its message and correlation id', async () => {
    const before = (await installs().list()).length;
    const state = (await startInstall()).searchParams.get('state') ?? '';
    const response = await callback({ code: 'not-a-real-code', state });
    const html = await response.text();
    expect(response.status).toBe(502);
    expect(html).toContain('HubSpot refused the installation');
    expect(html).toContain('missing or unknown auth code');
    expect(html).toContain('<code>BAD_AUTH_CODE</code>');
    const exchange = sim
      .requests()
      .filter((r) => r.path === '/oauth/v1/token')
      .pop();
    expect(exchange?.status).toBe(400);
    const correlationId = /correlation id<\/dt><dd><code>([0-9a-f-]{36})</.exec(html)?.[1];
    expect(correlationId).toBeDefined();
    expect((await installs().list()).length).toBe(before);
    const failure = gateway.logs().find((l) => l.msg === 'HubSpot install: code exchange failed');
    expect(failure).toMatchObject({ category: 'BAD_AUTH_CODE', correlationId, level: 'error' });
    expect(JSON.stringify(gateway.logs())).not.toContain(sim.app.clientSecret);
  });

  it('a used code cannot install twice; HubSpot failing (503) gives a 502 page', async () => {
    const { portalId } = sim.control.createPortal();
    const authorize = await startInstall();
    authorize.searchParams.set('portalId', portalId);
    const back = new URL(
      (await fetch(authorize, { redirect: 'manual' })).headers.get('location') ?? '',
    );
    expect((await fetch(back)).status).toBe(200);
    const stored = await installs().findByPortal(portalId);
    const replay = await fetch(back);
    expect(replay.status).toBe(502);
    expect(await replay.text()).toContain('<code>BAD_AUTH_CODE</code>');
    expect(await installs().findByPortal(portalId)).toEqual(stored);

    const fault = sim.faults.add({ method: 'POST', path: '/oauth/v1/token', status: 503 });
    try {
      const state = (await startInstall()).searchParams.get('state') ?? '';
      const response = await callback({ code: 'any', state });
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('HubSpot could not be reached');
    } finally {
      sim.faults.remove(fault.id);
    }
  });

  (existsSync(CHROMIUM) ? it : it.skip)(
    'a browser completes the install and sees the page',
    async () => {
      const { portalId } = sim.control.createPortal();
      const browser = await chromium.launchPersistentContext(
        mkdtempSync(join(tmpdir(), 'chromium-')),
        {
          executablePath: CHROMIUM,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      );
      try {
        const page = await browser.newPage();
        await page.goto(`${gateway.url}/oauth/install`);
        await page.waitForSelector('#installed');
        expect(page.url()).toContain(`${gateway.url}/oauth/callback?code=`);
        expect(await page.title()).toContain('App installed');
        expect(await page.getAttribute('html', 'lang')).toBe('en');
        expect(await page.textContent('#portal-id')).toBe(portalId);
        expect(await page.getByRole('status').textContent()).toContain(portalId);
        expect((await installs().findByPortal(portalId))?.status).toBe('active');
      } finally {
        await browser.close();
      }
    },
  );
});

describe('HubSpot app install without client credentials', () => {
  it('answers 500 with a readable page and logs what is missing', async () => {
    const gateway = await startTestGateway();
    try {
      for (const path of ['/oauth/install', '/oauth/callback?code=a&state=b']) {
        const response = await fetch(`${gateway.url}${path}`, { redirect: 'manual' });
        expect(response.status).toBe(500);
        expect(await response.text()).toContain('HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET');
      }
      expect(gateway.logs()).toContainEqual(
        expect.objectContaining({
          msg: 'HubSpot install needs HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET',
        }),
      );
    } finally {
      await gateway.close();
    }
  });
});

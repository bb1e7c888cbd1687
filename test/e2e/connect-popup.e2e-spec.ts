import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { DataSource } from 'typeorm';
import { EchoControlClient } from '../../plugins/echo/test/echo-control.client';
import { AccountStateRepository } from '../../src/core/persistence/repositories/account-state.repository';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import {
  CONNECT_STATE_KEY,
  type PendingConnection,
} from '../../src/hubspot/connect/pending-connections';
import type { HubSpotSimulator } from '../simulators/hubspot';
import {
  type HubSpotEchoWorld,
  postJson,
  startHubSpotEchoWorld,
} from '../support/hubspot-echo-world';
import { eventually, type TestGateway } from '../support/test-gateway';

jest.setTimeout(90_000);

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ConnectUrl {
  accountToken: string;
  connectUrl: string;
  redirectUrl: string;
}

describe('HubSpot connection popup (GET/POST /connect/:adapter)', () => {
  let sim: HubSpotSimulator;
  let echo: EchoControlClient;
  let gateway: TestGateway;
  let portalId: string;
  let channelId: string;
  const tmp = mkdtempSync(join(tmpdir(), 'connect-popup-'));

  const accounts = () => gateway.app.get(ChannelAccountRepository);
  const connectUrl = () =>
    postJson<ConnectUrl>(`${sim.baseUrl}/__sim/channels/${channelId}/connect-url`, { portalId });

  let world: HubSpotEchoWorld;

  beforeAll(async () => {
    world = await startHubSpotEchoWorld();
    ({ sim, echo, gateway, portalId, channelId } = world);
  });

  afterAll(() => world?.close());

  it('answers readable 400 pages for unknown adapters, missing parameters and foreign redirects', async () => {
    const start = await connectUrl();
    const query = new URL(start.connectUrl).search;
    const unknown = await fetch(`${gateway.url}/connect/nope${query}`);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('no running messenger called &quot;nope&quot;');

    const missing = await fetch(`${gateway.url}/connect/echo?channelId=${channelId}`);
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-type')).toMatch(/text\/html/);
    expect(await missing.text()).toContain('the link lacks accountToken, redirectUrl');

    const url = new URL(start.connectUrl);
    url.searchParams.set('redirectUrl', 'https://evil.example/steal');
    const foreign = await fetch(url);
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('does not point to HubSpot');

    const tampered = await fetch(`${gateway.url}/connect/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ form: 'v1:x:y:z:w', token: 'echo_whatever1' }).toString(),
    });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('Form expired or changed');
  });

  it('serves the form with security headers and keeps the staging token out of the page', async () => {
    const start = await connectUrl();
    const response = await fetch(start.connectUrl);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`form-action 'self' ${sim.baseUrl}`);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).not.toContain(start.accountToken);
    expect(html).toContain('<label for="field-token">Echo token</label>');
  });

  it('checks required and pattern on the server too (422, field errors, nothing stored)', async () => {
    const start = await connectUrl();
    const form = /name="form" value="([^"]+)"/.exec(await (await fetch(start.connectUrl)).text());
    const before = (await accounts().list({ includeDeleted: true })).length;
    const post = (token: string) =>
      fetch(`${gateway.url}/connect/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ form: form?.[1] ?? '', token }).toString(),
      });
    const malformed = await post('not-an-echo-token');
    expect(malformed.status).toBe(422);
    const html = await malformed.text();
    expect(html).toContain('id="field-token-error"');
    expect(html).toContain('aria-describedby="field-token-help field-token-error"');
    expect(html).not.toContain('not-an-echo-token');
    const empty = await post('');
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Enter the Echo token.');
    expect(await accounts().list({ includeDeleted: true })).toHaveLength(before);
  });

  it('PATCH refused by HubSpot: the form shows its message and correlation id, no account is left', async () => {
    const bot = await echo.createAccount('Refused bot');
    const start = await connectUrl();
    const page = await fetch(start.connectUrl);
    const form = /name="form" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    // HubSpot finalises the token first (e.g. a second tab), so the PATCH answers 409.
    await fetch(`${sim.baseUrl}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: 'PATCH',
        path: '/conversations/v3/custom-channels/*/channel-account-staging-tokens/*',
        status: 409,
        count: 1,
      }),
    });
    const before = (await accounts().list({ includeDeleted: true })).length;
    const response = await fetch(`${gateway.url}/connect/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        form: form.replace(/&quot;/g, '"'),
        token: bot.token,
      }).toString(),
      redirect: 'manual',
    });
    expect(response.status).toBe(502);
    const html = await response.text();
    expect(html).toMatch(/role="alert"[\s\S]*HubSpot: [\s\S]*correlationId [0-9a-f-]{8,}/);
    expect(html).not.toContain(bot.token);
    const all = await accounts().list({ includeDeleted: true });
    expect(all.length).toBe(before + 1);
    expect(all.at(-1)).toMatchObject({ status: 'deleted', credentials: {} });
    expect(await accounts().list({ status: 'pending' })).toEqual([]);
  });

  (statSafe(CHROMIUM) ? it : it.skip)(
    'a browser connects an Echo account: bad token refused, good token connected',
    async () => {
      const bot = await echo.createAccount('Support bot');
      const start = await connectUrl();
      let formToken = '';
      const context: BrowserContext = await chromium.launchPersistentContext(
        mkdtempSync(join(tmpdir(), 'chromium-')),
        { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
      );
      try {
        const page = await context.newPage();
        await page.goto(start.connectUrl);
        const field = page.getByLabel('Echo token');
        expect(await field.getAttribute('type')).toBe('password');
        expect(await field.getAttribute('autocomplete')).toBe('off');
        expect(await field.getAttribute('required')).not.toBeNull();
        expect(await field.getAttribute('aria-describedby')).toBe('field-token-help');
        await page.screenshot({ path: join(tmp, 'connect-form.png'), fullPage: true });
        process.stdout.write(`connect form screenshot: ${join(tmp, 'connect-form.png')}\n`);
        expect(statSync(join(tmp, 'connect-form.png')).size).toBeGreaterThan(1000);

        await field.fill('echo_not_a_real_token');
        await page.getByRole('button', { name: 'Connect' }).click();
        const alert = page.getByRole('alert');
        await alert.waitFor();
        expect(await alert.textContent()).toContain('Echo refused the credentials');
        expect(await page.locator(':focus').getAttribute('id')).toBe('error-summary');
        expect(await page.content()).not.toContain('echo_not_a_real_token');
        expect(await accounts().list({ includeDeleted: true })).toHaveLength(1); // the 409 test's

        formToken = (await page.locator('input[name=form]').getAttribute('value')) ?? '';
        await page.getByLabel('Echo token').fill(bot.token);
        await page.getByRole('button', { name: 'Connect' }).click();
        await page.waitForSelector('#connected');
        expect(page.url()).toBe(start.redirectUrl);
      } finally {
        await context.close();
      }

      const hubspotAccount = [...sim.state.channelAccounts.values()].find(
        (account) => account.channelId === channelId && account.portalId === portalId,
      );
      expect(hubspotAccount).toMatchObject({
        name: 'Support bot',
        authorized: true,
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: bot.id },
      });
      // The popup stored the account; HubSpot's CHANNEL_ACCOUNT_CREATED webhook then binds it.
      const stored = await eventually(
        async () => {
          const [account] = await accounts().list({ adapterId: 'echo' });
          return account?.status === 'active' ? account : undefined;
        },
        15_000,
        'the connected account to be bound',
      );
      expect(stored).toMatchObject({
        adapterId: 'echo',
        name: 'Support bot',
        portalId,
        hubspotChannelId: channelId,
        hubspotChannelAccountId: hubspotAccount?.id,
        authorized: true,
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: bot.id },
        credentials: { token: bot.token },
      });
      const states = gateway.app.get(AccountStateRepository);
      const remembered = await states.get<PendingConnection>(stored.id, CONNECT_STATE_KEY);
      expect(remembered).toMatchObject({ accountToken: start.accountToken, portalId, channelId });
      expect(remembered?.inboxId).toBeDefined();
      // A second submission (double click, back button) redirects again without a new account.
      const again = await fetch(`${gateway.url}/connect/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ form: formToken, token: bot.token }).toString(),
        redirect: 'manual',
      });
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toBe(start.redirectUrl);
      expect(await accounts().list({ adapterId: 'echo' })).toHaveLength(1);
      // Encrypted at rest: the raw row does not contain the token.
      const raw: unknown = await gateway.app
        .get(DataSource)
        .query('SELECT credentials FROM channel_accounts WHERE id = ?', [stored.id]);
      expect(JSON.stringify(raw)).not.toContain(bot.token);
    },
  );
});

function statSafe(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

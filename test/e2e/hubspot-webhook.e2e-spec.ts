import { EchoControlClient } from '../../plugins/echo/test/echo-control.client';
import type { GatewayHealth } from '../../src/core/observability/health.service';
import type { ChannelAccount } from '../../src/core/persistence/models/channel-account.model';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { ProcessedEventRepository } from '../../src/core/persistence/repositories/processed-event.repository';
import { HubSpotClient } from '../../src/hubspot/client/hubspot-client';
import { computeSignatureV3 } from '../../src/hubspot/webhook/hubspot-signature';
import type { HubSpotSimulator } from '../simulators/hubspot';
import {
  boundAccount as waitForBoundAccount,
  connectThroughPopup as connectEchoBot,
  type HubSpotEchoWorld,
  startHubSpotEchoWorld,
} from '../support/hubspot-echo-world';
import { eventually, type TestGateway } from '../support/test-gateway';

jest.setTimeout(90_000);

const SOURCE = 'hubspot-webhook';

describe('HubSpot webhooks (POST /hubspot/webhook) and the channel account lifecycle', () => {
  let sim: HubSpotSimulator;
  let echo: EchoControlClient;
  let gateway: TestGateway;
  let portalId: string;
  let channelId: string;

  const accounts = () => gateway.app.get(ChannelAccountRepository);
  const processed = () => gateway.app.get(ProcessedEventRepository);
  /**
   * Agent messages put on `hubspot-outgoing` so far. Counted at enqueue (the outbound pipeline
   * handles and removes them right away: these test messages name no known account).
   */
  const outgoingWaiting = async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = /^gateway_jobs_enqueued_total\{[^}]*queue="hubspot-outgoing"[^}]*\} (\d+)$/m.exec(
      metrics,
    );
    return Number(line?.[1] ?? 0);
  };

  /** Posts a body signed as HubSpot does (or with the given overrides). */
  const deliver = (
    body: string,
    options: { path?: string; timestamp?: number; signature?: string } = {},
  ) => {
    const path = options.path ?? '/hubspot/webhook';
    const timestamp = String(options.timestamp ?? Date.now());
    const signature =
      options.signature ??
      computeSignatureV3({
        clientSecret: sim.app.clientSecret,
        method: 'POST',
        uri: `${gateway.url}${path}`,
        body,
        timestamp,
      });
    return fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': signature,
      },
      body,
    });
  };

  const outgoingEvent = (messageId: string) =>
    JSON.stringify({
      type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
      portalId,
      channelId,
      channelIntegrationThreadIds: ['chat-1'],
      message: { id: messageId, channelAccountId: '1', conversationsThreadId: '55', text: 'hi' },
    });

  const accountHealth = async (id: string) => {
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as GatewayHealth;
    return health.adapters.flatMap((adapter) => adapter.accounts).find((a) => a.id === id);
  };

  /** The popup flow over plain fetch; HubSpot (the simulator) then sends CHANNEL_ACCOUNT_CREATED. */
  const connectThroughPopup = (bot: { id: string; token: string }) => connectEchoBot(world, bot);

  const boundAccount = (hubspotId: string) => waitForBoundAccount(gateway, hubspotId);

  let world: HubSpotEchoWorld;

  beforeAll(async () => {
    world = await startHubSpotEchoWorld();
    ({ sim, echo, gateway, portalId, channelId } = world);
  });

  afterAll(() => world?.close());

  it('refuses missing and bad signatures with 401 and stores nothing', async () => {
    const before = await outgoingWaiting();
    const body = outgoingEvent('bad-sig');
    const bad = await deliver(body, { signature: 'AAAA' + 'x'.repeat(40) });
    expect(bad.status).toBe(401);
    const tampered = computeSignatureV3({
      clientSecret: 'not-the-secret',
      method: 'POST',
      uri: `${gateway.url}/hubspot/webhook`,
      body,
      timestamp: String(Date.now()),
    });
    expect((await deliver(body, { signature: tampered })).status).toBe(401);
    const missing = await fetch(`${gateway.url}/hubspot/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(missing.status).toBe(401);
    expect(await processed().isProcessed(SOURCE, 'OUTGOING_CHANNEL_MESSAGE_CREATED:bad-sig')).toBe(
      false,
    );
    expect(await outgoingWaiting()).toBe(before);
  });

  it('refuses a correctly signed request older than 5 minutes (401, nothing stored)', async () => {
    const before = await outgoingWaiting();
    const stale = await deliver(outgoingEvent('stale'), { timestamp: Date.now() - 301_000 });
    expect(stale.status).toBe(401);
    expect(await processed().isProcessed(SOURCE, 'OUTGOING_CHANNEL_MESSAGE_CREATED:stale')).toBe(
      false,
    );
    expect(await outgoingWaiting()).toBe(before);
  });

  it('signs over the public URI with the spec decoding table; bad JSON is 400, unknown types 200', async () => {
    const path = '/hubspot/webhook?tenant=a%3Ab%40c';
    const unknown = await deliver(JSON.stringify({ type: 'CONVERSATION_TYPING', portalId }), {
      path,
    });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ accepted: 0, duplicates: 0, ignored: 1 });
    expect((await deliver('{not json', { path })).status).toBe(400);
  });

  it('keeps agent messages durable on hubspot-outgoing, once per message despite redelivery', async () => {
    const before = await outgoingWaiting();
    const body = outgoingEvent('m-redelivered');
    const first = await deliver(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 1, duplicates: 0, ignored: 0 });
    // HubSpot re-signs every attempt with a fresh timestamp.
    const again = await deliver(body, { timestamp: Date.now() + 1 });
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 1, ignored: 0 });
    const batch = await deliver(`[${body},${outgoingEvent('m-second')}]`);
    expect(await batch.json()).toEqual({ accepted: 1, duplicates: 1, ignored: 0 });
    expect(
      await processed().isProcessed(SOURCE, 'OUTGOING_CHANNEL_MESSAGE_CREATED:m-redelivered'),
    ).toBe(true);
    expect(await outgoingWaiting()).toBe(before + 2);
  });

  it('connect, deactivate, reactivate, rename and archive follow HubSpot', async () => {
    const bot = await echo.createAccount('Webhook bot');
    const { hubspotId, hubspotAccount } = await connectThroughPopup(bot);
    const bound = await boundAccount(hubspotId);
    expect(bound).toMatchObject({
      adapterId: 'echo',
      portalId,
      hubspotChannelId: channelId,
      hubspotChannelAccountId: hubspotId,
      inboxId: hubspotAccount?.inboxId,
      authorized: true,
      credentials: { token: bot.token },
    });
    await eventually(
      async () => ((await accountHealth(bound.id))?.state === 'receiving' ? true : undefined),
      15_000,
      'receiving',
    );
    const created = sim.webhookDeliveries({ eventType: 'CHANNEL_ACCOUNT_CREATED' });
    expect(created.at(-1)?.state).toBe('DELIVERED');

    const until = (what: string, check: (account: ChannelAccount) => boolean) =>
      eventually(
        async () => {
          const account = await accounts().findById(bound.id);
          return account && check(account) ? account : undefined;
        },
        15_000,
        what,
      );

    sim.control.deactivateAccount(hubspotId);
    await until('deauthorized', (account) => !account.authorized);
    await eventually(
      async () => ((await accountHealth(bound.id))?.state === 'receiving' ? undefined : true),
      15_000,
      'stopped',
    );

    sim.control.reactivateAccount(hubspotId);
    await until('reauthorized', (account) => account.authorized);
    await eventually(
      async () => ((await accountHealth(bound.id))?.state === 'receiving' ? true : undefined),
      15_000,
      'receiving again',
    );

    sim.control.renameAccount(hubspotId, 'Renamed bot');
    await until('renamed', (account) => account.name === 'Renamed bot');

    sim.control.archiveAccount(hubspotId);
    const deleted = await until('deleted', (account) => account.status === 'deleted');
    expect(deleted).toMatchObject({ authorized: false, credentials: {} });
    expect(deleted.deletedAt).toBeDefined();
    expect((await accountHealth(bound.id))?.state).not.toBe('receiving');
    await sim.waitForWebhooks();
    const account = sim
      .webhookDeliveries({ channelId })
      .filter((d) => d.eventType !== 'OUTGOING_CHANNEL_MESSAGE_CREATED');
    expect(account.map((d) => d.state)).toEqual(account.map(() => 'DELIVERED'));
  });
  it('CHANNEL_ACCOUNT_PURGED deletes the account and erases its credentials', async () => {
    const bot = await echo.createAccount('Purged bot');
    const { hubspotId } = await connectThroughPopup(bot);
    const bound = await boundAccount(hubspotId);
    sim.control.archiveAccount(hubspotId, true);
    const deleted = await eventually(
      async () => {
        const account = await accounts().findById(bound.id);
        return account?.status === 'deleted' ? account : undefined;
      },
      15_000,
      'deleted',
    );
    expect(deleted).toMatchObject({ authorized: false, credentials: {} });
    expect(sim.webhookDeliveries({ eventType: 'CHANNEL_ACCOUNT_PURGED' })).toHaveLength(1);
  });

  it('a CHANNEL_ACCOUNT_CREATED without a pending popup account changes nothing', async () => {
    const inboxId = [...sim.state.inboxes.values()].find(
      (inbox) => inbox.portalId === portalId,
    )?.id;
    const remote = await gateway.app
      .get(HubSpotClient, { strict: false })
      .forPortal(portalId)
      .channelAccounts.create(channelId, {
        inboxId: String(inboxId),
        name: 'Made elsewhere',
        authorized: true,
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'nobody' },
      });
    const before = await accounts().list({ includeDeleted: true });
    const body = JSON.stringify({
      type: 'CHANNEL_ACCOUNT_CREATED',
      portalId,
      channelId,
      channelAccountId: remote.id,
      eventId: 'created-without-popup',
    });
    expect(await (await deliver(body)).json()).toEqual({ accepted: 1, duplicates: 0, ignored: 0 });
    await eventually(
      () =>
        gateway.logs().some((line) => String(line.msg).includes('without a pending connection'))
          ? true
          : undefined,
      15_000,
      'the warning',
    );
    expect(await accounts().findByHubSpotId(remote.id)).toBeUndefined();
    expect(await accounts().list({ includeDeleted: true })).toEqual(before);
  });
});

import { EchoPlatformServer } from '../../plugins/echo/echo-platform-server';
import { EchoControlClient } from '../../plugins/echo/test/echo-control.client';
import type { ChannelAccount } from '../../src/core/persistence/models/channel-account.model';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { ChannelRegistrationRepository } from '../../src/core/persistence/repositories/channel-registration.repository';
import { InstallRepository } from '../../src/core/persistence/repositories/install.repository';
import type { ChannelCapabilities } from '../../src/hubspot/client/channels.api';
import { HubSpotClient } from '../../src/hubspot/client/hubspot-client';
import { type HubSpotSimulator, startHubSpotSimulator } from '../simulators/hubspot';
import type { ChannelAccount as SimChannelAccount } from '../simulators/hubspot/types';
import { eventually, startTestGateway, type TestGateway } from './test-gateway';

/** POSTs JSON (the simulators' control APIs) and returns the JSON answer; throws on non-2xx. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A HubSpot simulator, an Echo platform and a gateway wired to both, installed and registered. */
export interface HubSpotEchoWorld {
  sim: HubSpotSimulator;
  platform: EchoPlatformServer;
  echo: EchoControlClient;
  gateway: TestGateway;
  /** The portal that installed the app (its tokens are stored in the gateway). */
  portalId: string;
  /** The HubSpot custom channel registered for the echo adapter. */
  channelId: string;
  close(): Promise<void>;
}

/**
 * Starts the world the HubSpot flow tests share: the simulator (webhook retries compressed), an
 * Echo platform, a gateway with the echo adapter and the simulator's app credentials, a portal
 * install, and the echo channel registered with webhook and connect URLs pointing at the gateway.
 */
export async function startHubSpotEchoWorld(): Promise<HubSpotEchoWorld> {
  const sim = await startHubSpotSimulator({ port: 0, webhookTimeScale: 0.001 });
  const platform = new EchoPlatformServer();
  const platformUrl = await platform.start();
  const gateway = await startTestGateway({
    yaml: `adapters:\n  echo:\n    platformUrl: ${platformUrl}\n`,
    env: {
      HUBSPOT_API_BASE_URL: sim.baseUrl,
      HUBSPOT_APP_ID: String(sim.app.appId),
      HUBSPOT_CLIENT_ID: sim.app.clientId,
      HUBSPOT_CLIENT_SECRET: sim.app.clientSecret,
      HUBSPOT_DEVELOPER_API_KEY: sim.app.developerApiKey,
    },
  });

  const portal = await postJson<{
    portalId: string;
    accessToken: string;
    refreshToken: string;
    expiresIn: number;
    scopes: string[];
  }>(`${sim.baseUrl}/__sim/portals`, { issueTokens: true });
  await gateway.app.get(InstallRepository).upsertTokens(portal.portalId, {
    accessToken: portal.accessToken,
    refreshToken: portal.refreshToken,
    expiresAt: new Date(Date.now() + portal.expiresIn * 1000),
    scopes: portal.scopes,
  });

  const capabilities: ChannelCapabilities = {
    deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
    threadingModel: 'INTEGRATION_THREAD_ID',
    allowOutgoingMessages: true,
  };
  const channel = await gateway.app.get(HubSpotClient, { strict: false }).channels.create({
    name: 'Echo',
    webhookUrl: `${gateway.url}/hubspot/webhook`,
    channelAccountConnectionRedirectUrl: `${gateway.url}/connect/echo`,
    capabilities,
  });
  await gateway.app.get(ChannelRegistrationRepository).save({
    adapterId: 'echo',
    hubspotChannelId: channel.id,
    name: 'Echo',
    capabilities: { ...capabilities },
  });

  return {
    sim,
    platform,
    echo: new EchoControlClient(platformUrl),
    gateway,
    portalId: portal.portalId,
    channelId: channel.id,
    async close() {
      await gateway.close();
      await platform.stop();
      await sim.close();
    },
  };
}

/**
 * Connects an Echo bot through the HubSpot popup flow over plain fetch: the simulator's connect
 * URL, the gateway's form, the staging-token PATCH and HubSpot's redirect, after which the
 * simulator sends CHANNEL_ACCOUNT_CREATED. `inboxId` picks the inbox or help desk (default: the
 * portal's first inbox, an INBOX). Returns the HubSpot channel account.
 */
export async function connectThroughPopup(
  world: Pick<HubSpotEchoWorld, 'sim' | 'gateway' | 'portalId' | 'channelId'>,
  bot: { id: string; token: string },
  options: { inboxId?: string } = {},
): Promise<{ hubspotId: string; hubspotAccount: SimChannelAccount }> {
  const { sim, gateway, portalId, channelId } = world;
  const start = await postJson<{ connectUrl: string; redirectUrl: string }>(
    `${sim.baseUrl}/__sim/channels/${channelId}/connect-url`,
    { portalId, ...(options.inboxId !== undefined && { inboxId: options.inboxId }) },
  );
  const page = await (await fetch(start.connectUrl)).text();
  const form = /name="form" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const submitted = await fetch(`${gateway.url}/connect/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ form: form.replace(/&quot;/g, '"'), token: bot.token }).toString(),
    redirect: 'manual',
  });
  if (submitted.status !== 303 || submitted.headers.get('location') !== start.redirectUrl) {
    throw new Error(`the connect form answered ${submitted.status}: ${await submitted.text()}`);
  }
  const completed = await fetch(start.redirectUrl);
  if (completed.status !== 200) {
    throw new Error(`HubSpot's redirect page answered ${completed.status}`);
  }
  const hubspotAccount = [...sim.state.channelAccounts.values()].find(
    (account) => account.channelId === channelId && account.deliveryIdentifier?.value === bot.id,
  );
  if (!hubspotAccount) throw new Error(`no HubSpot channel account for bot ${bot.id}`);
  return { hubspotId: hubspotAccount.id, hubspotAccount };
}

/** Waits until the gateway bound its account to the HubSpot channel account and activated it. */
export function boundAccount(
  gateway: TestGateway,
  hubspotId: string,
  timeoutMs = 15_000,
): Promise<ChannelAccount> {
  return eventually(
    async () => {
      const account = await gateway.app.get(ChannelAccountRepository).findByHubSpotId(hubspotId);
      return account?.status === 'active' ? account : undefined;
    },
    timeoutMs,
    'the account to be bound',
  );
}

/** The id of the portal's help desk (threads there get a ticket each). */
export function helpDeskInboxId(world: Pick<HubSpotEchoWorld, 'sim' | 'portalId'>): string {
  const inbox = [...world.sim.state.inboxes.values()].find(
    (candidate) => candidate.portalId === world.portalId && candidate.type === 'HELP_DESK',
  );
  if (!inbox) throw new Error(`portal ${world.portalId} has no help desk`);
  return inbox.id;
}

import { EchoPlatformServer } from '../../plugins/echo/echo-platform-server';
import { EchoControlClient } from '../../plugins/echo/test/echo-control.client';
import { ChannelRegistrationRepository } from '../../src/core/persistence/repositories/channel-registration.repository';
import { InstallRepository } from '../../src/core/persistence/repositories/install.repository';
import type { ChannelCapabilities } from '../../src/hubspot/client/channels.api';
import { HubSpotClient } from '../../src/hubspot/client/hubspot-client';
import { type HubSpotSimulator, startHubSpotSimulator } from '../simulators/hubspot';
import { startTestGateway, type TestGateway } from './test-gateway';

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

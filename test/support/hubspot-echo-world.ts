import { EchoPlatformServer } from '../../plugins/echo/echo-platform-server';
import { EchoControlClient } from '../../plugins/echo/test/echo-control.client';
import type { HubSpotSimulator } from '../simulators/hubspot';
import type { ChannelAccount as SimChannelAccount } from '../simulators/hubspot/types';
import { connectAccountThroughPopup, startHubSpotAdapterWorld } from './hubspot-world';
import type { TestGateway } from './test-gateway';

export { boundAccount, helpDeskInboxId, postJson } from './hubspot-world';

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
 * install, and the echo channel registered as `channels:register` does (capabilities from the echo
 * manifest, webhook and connect URLs pointing at the gateway).
 */
export async function startHubSpotEchoWorld(): Promise<HubSpotEchoWorld> {
  const platform = new EchoPlatformServer();
  const platformUrl = await platform.start();
  const { sim, gateway, portalId, channelId, close } = await startHubSpotAdapterWorld('echo', {
    yaml: `adapters:\n  echo:\n    platformUrl: ${platformUrl}\n`,
  });

  return {
    sim,
    platform,
    echo: new EchoControlClient(platformUrl),
    gateway,
    portalId,
    channelId,
    async close() {
      await close();
      await platform.stop();
    },
  };
}

/**
 * Connects an Echo bot through the HubSpot popup flow (see connectAccountThroughPopup). `inboxId`
 * picks the inbox or help desk (default: the portal's first inbox, an INBOX).
 */
export function connectThroughPopup(
  world: Pick<HubSpotEchoWorld, 'sim' | 'gateway' | 'portalId' | 'channelId'>,
  bot: { id: string; token: string },
  options: { inboxId?: string } = {},
): Promise<{ hubspotId: string; hubspotAccount: SimChannelAccount }> {
  return connectAccountThroughPopup(world, { token: bot.token }, bot.id, {
    ...options,
    adapterId: 'echo',
  });
}

/**
 * Sets up the floor of bench:e2e: its own HubSpot portal (real OAuth code exchange), channel and
 * channel accounts (created through the public API, as an integration without the popup would),
 * and Echo accounts whose webhooks point at the floor forwarder.
 */
import { randomBytes } from 'node:crypto';
import type { EchoPlatform } from '../plugins/echo/echo-platform';
import type { SimHarness } from '../src/hubspot/testing/sim-client';
import { FloorForwarder } from './e2e-floor';

export interface FloorUnderTest {
  forwarder: FloorForwarder;
  echoAccountIds: string[];
  stop(): Promise<void>;
}

export async function startFloor(
  harness: SimHarness,
  platform: EchoPlatform,
  accounts: number,
): Promise<FloorUnderTest> {
  const { sim, kit } = harness;
  const { portalId, inboxes } = await harness.install();
  const helpDesk = inboxes.find((inbox) => inbox.type === 'HELP_DESK') ?? inboxes[0];
  const channel = await kit.client.channels.create({
    name: 'Bench floor',
    capabilities: {
      deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
      threadingModel: 'INTEGRATION_THREAD_ID',
    },
  });
  const forwarder = new FloorForwarder({
    hubspotBaseUrl: sim.baseUrl,
    channelId: channel.id,
    accessToken: await kit.tokens.getAccessToken(portalId),
  });
  await forwarder.start();
  const portal = kit.client.forPortal(portalId);
  const echoAccountIds: string[] = [];
  for (let i = 0; i < accounts; i++) {
    const bot = platform.createAccount({ name: `Floor bot ${i}` });
    const account = await portal.channelAccounts.create(channel.id, {
      inboxId: helpDesk.id,
      name: bot.name,
      authorized: true,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: bot.id },
    });
    const webhookSecret = randomBytes(16).toString('hex');
    forwarder.add({
      echoAccountId: bot.id,
      botId: bot.id,
      webhookSecret,
      hubspotChannelAccountId: account.id,
    });
    platform.setWebhook(bot.token, { url: forwarder.webhookUrl(bot.id), secret: webhookSecret });
    echoAccountIds.push(bot.id);
  }
  return { forwarder, echoAccountIds, stop: () => forwarder.stop() };
}

/**
 * The world of the SMS end-to-end tests: the Twilio simulator (behind the SMS conformance
 * harness's proxy, which serves the number webhook updates `startReceiving` makes), the HubSpot
 * simulator and a gateway with the sms adapter pointed at the simulator, its channel registered as
 * `channels:register` does. Twilio accounts are connected through HubSpot's popup flow.
 */
import type { ChannelAccount } from '../../src/core/persistence/models/channel-account.model';
import type { StoredMessage } from '../../src/core/persistence/models/message.model';
import { ChannelRegistrationRepository } from '../../src/core/persistence/repositories/channel-registration.repository';
import { MessageRepository } from '../../src/core/persistence/repositories/message.repository';
import { LOADED_PLUGINS } from '../../src/core/plugins/adapter-supervisor';
import type { LoadedPlugin } from '../../src/core/plugins/plugin-loader';
import { ChannelRegistrationService } from '../../src/hubspot/channels/channel-registration.service';
import { HubSpotClient } from '../../src/hubspot/client/hubspot-client';
import {
  createSmsConformanceHarness,
  type SmsConformanceHarness,
  type SmsHarnessAccount,
} from '../../plugins/sms/test/sms-conformance.harness';
import type { Message as SimMessage } from '../simulators/hubspot/types';
import type {
  InboundMedia,
  InboundResult,
  MessageRecord,
  TwilioSimulator,
} from '../simulators/twilio';
import {
  connectAccountThroughPopup,
  type HubSpotAdapterWorld,
  receivingAccount,
  startHubSpotAdapterWorld,
} from '../support/hubspot-world';
import { eventually } from '../support/test-gateway';

export {
  agentReplies,
  type HubSpotStatusType as HubSpotStatus,
  statusIs,
  uploadToHubSpot,
} from '../support/hubspot-world';
import { ForwardingProxy } from '../support/forwarding-proxy';

export interface SmsHubSpotWorld extends HubSpotAdapterWorld {
  harness: SmsConformanceHarness;
  twilio: TwilioSimulator;
  /** The gateway's PUBLIC_URL: its own URL, or the reverse proxy's with the path prefix. */
  publicUrl: string;
}

export interface SmsWorldOptions {
  /**
   * `adapters.sms.messagesPerSecond` (default 1000: no throttling unless a test wants it);
   * `'plugin default'` leaves it out (1, a long code).
   */
  messagesPerSecond?: number | 'plugin default';
  /**
   * Serve the gateway behind a reverse proxy under this path prefix (PUBLIC_URL is the proxy's
   * URL with it); Twilio and HubSpot call the proxy.
   */
  behindProxyPrefix?: string;
}

export async function startSmsHubSpotWorld(
  options: SmsWorldOptions = {},
): Promise<SmsHubSpotWorld> {
  const harness = createSmsConformanceHarness();
  await harness.start();
  const { apiBaseUrl } = harness.pluginSettings() as { apiBaseUrl: string };
  const proxy = options.behindProxyPrefix
    ? new ForwardingProxy(options.behindProxyPrefix)
    : undefined;
  const proxyUrl = await proxy?.start();
  try {
    const world = await startHubSpotAdapterWorld('sms', {
      yaml: [
        'adapters:',
        '  sms:',
        '    provider: twilio',
        `    apiBaseUrl: ${apiBaseUrl}`,
        ...(options.messagesPerSecond === 'plugin default'
          ? []
          : [`    messagesPerSecond: ${options.messagesPerSecond ?? 1000}`]),
        '',
      ].join('\n'),
      env: proxyUrl ? { PUBLIC_URL: proxyUrl } : undefined,
    });
    const smsWorld: SmsHubSpotWorld = {
      ...world,
      harness,
      twilio: harness.simulator(),
      publicUrl: proxyUrl ?? world.gateway.url,
      async close() {
        await world.close();
        await proxy?.stop();
        await harness.stop();
      },
    };
    if (proxy && proxyUrl) {
      proxy.target = world.gateway.url;
      await registerBehind(smsWorld, proxyUrl).catch(async (error: unknown) => {
        await smsWorld.close();
        throw error;
      });
    }
    return smsWorld;
  } catch (error) {
    await proxy?.stop();
    await harness.stop();
    throw error;
  }
}

/**
 * HubSpot signs webhooks over the URL it calls, and the gateway checks them against PUBLIC_URL:
 * the channel's URLs go through the proxy, as `channels:register` with that PUBLIC_URL does.
 */
async function registerBehind(world: HubSpotAdapterWorld, publicUrl: string): Promise<void> {
  const { gateway } = world;
  const registrations = new ChannelRegistrationService({
    hubspot: gateway.app.get(HubSpotClient, { strict: false }),
    registrations: gateway.app.get(ChannelRegistrationRepository),
    config: { PUBLIC_URL: publicUrl },
    plugins: gateway.app.get<LoadedPlugin[]>(LOADED_PLUGINS, { strict: false }),
  });
  await registrations.register(registrations.targets(['sms'])[0]);
}

export interface ConnectedSms {
  platform: SmsHarnessAccount;
  account: ChannelAccount;
  hubspotId: string;
}

/** A new Twilio account with one number, connected through HubSpot's popup and bound. */
export async function connectSmsAccount(
  world: SmsHubSpotWorld,
  options: { inboxId?: string; platform?: SmsHarnessAccount } = {},
): Promise<ConnectedSms> {
  const platform = options.platform ?? (await world.harness.createAccount());
  const { hubspotId } = await connectAccountThroughPopup(
    world,
    platform.credentials,
    platform.number,
    { inboxId: options.inboxId, adapterId: 'sms' },
  );
  const account = await receivingAccount(world.gateway, hubspotId);
  return { platform, account, hubspotId };
}

/** A customer texts the account's number; resolves once Twilio's webhook was answered. */
export function customerTexts(
  world: SmsHubSpotWorld,
  connected: ConnectedSms,
  message: { body?: string; media?: InboundMedia[]; from?: string },
): Promise<InboundResult> {
  return world.twilio.injectInbound({
    from: message.from ?? connected.platform.customer,
    to: connected.platform.number,
    body: message.body ?? '',
    media: message.media,
  });
}

/** The gateway's record of a platform message once it is PUBLISHED in HubSpot. */
export function published(
  world: SmsHubSpotWorld,
  accountId: string,
  externalId: string,
): Promise<StoredMessage> {
  return eventually(
    async () => {
      const stored = await world.gateway.app
        .get(MessageRepository)
        .findByExternalId(accountId, externalId);
      return stored?.status === 'PUBLISHED' ? stored : undefined;
    },
    20_000,
    `message ${externalId} to be published`,
  );
}

/** What Twilio received for a customer, oldest first (agent replies only). */
export function twilioMessagesTo(world: SmsHubSpotWorld, number: string): MessageRecord[] {
  return world.twilio
    .messages({ to: number })
    .filter((m) => m.direction === 'outbound-api')
    .sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
}

/** The gateway's create-message requests to Twilio for a customer, accepted or refused. */
export function createRequestsTo(world: SmsHubSpotWorld, number: string) {
  return world.twilio
    .requests()
    .filter(
      (r) =>
        r.method === 'POST' &&
        r.path.endsWith('/Messages.json') &&
        (r.body as Record<string, unknown> | null)?.To === number,
    );
}

export function hubSpotMessage(world: SmsHubSpotWorld, id: string | undefined): SimMessage {
  const message = world.sim.state.messages.get(id ?? '');
  if (!message) throw new Error(`HubSpot has no message ${id}`);
  return message;
}

import type { ChannelAccount } from '../../src/core/persistence/models/channel-account.model';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { ChannelRegistrationRepository } from '../../src/core/persistence/repositories/channel-registration.repository';
import { InstallRepository } from '../../src/core/persistence/repositories/install.repository';
import { AdapterSupervisor, LOADED_PLUGINS } from '../../src/core/plugins/adapter-supervisor';
import type { LoadedPlugin } from '../../src/core/plugins/plugin-loader';
import { ChannelRegistrationService } from '../../src/hubspot/channels/channel-registration.service';
import { HubSpotClient } from '../../src/hubspot/client/hubspot-client';
import { type HubSpotSimulator, startHubSpotSimulator } from '../simulators/hubspot';
import type { FileUsageType } from '../simulators/hubspot/messaging';
import type {
  ChannelAccount as SimChannelAccount,
  Message as SimMessage,
} from '../simulators/hubspot/types';
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

/** A HubSpot simulator and a gateway wired to it, with a portal installed. */
export interface HubSpotWorld {
  sim: HubSpotSimulator;
  gateway: TestGateway;
  /** The portal that installed the app (its tokens are stored in the gateway). */
  portalId: string;
  close(): Promise<void>;
}

/** A world with one adapter's channel registered the way `channels:register` does it. */
export interface HubSpotAdapterWorld extends HubSpotWorld {
  adapterId: string;
  /** The HubSpot custom channel registered for the adapter. */
  channelId: string;
}

export interface HubSpotWorldOptions {
  /** The gateway's YAML configuration (the `adapters:` section). */
  yaml: string;
  /** More environment for the gateway (PUBLIC_URL, ...). */
  env?: Record<string, string>;
}

/**
 * Starts the HubSpot simulator (webhook retries compressed) and a gateway configured with the
 * simulator's app credentials and `options.yaml`, and installs the app in a new portal (tokens
 * stored in the gateway as the OAuth callback would).
 */
export async function startHubSpotWorld(options: HubSpotWorldOptions): Promise<HubSpotWorld> {
  const sim = await startHubSpotSimulator({ port: 0, webhookTimeScale: 0.001 });
  let gateway: TestGateway;
  try {
    gateway = await startTestGateway({
      yaml: options.yaml,
      env: {
        HUBSPOT_API_BASE_URL: sim.baseUrl,
        HUBSPOT_APP_ID: String(sim.app.appId),
        HUBSPOT_CLIENT_ID: sim.app.clientId,
        HUBSPOT_CLIENT_SECRET: sim.app.clientSecret,
        HUBSPOT_DEVELOPER_API_KEY: sim.app.developerApiKey,
        ...options.env,
      },
    });
  } catch (error) {
    await sim.close();
    throw error;
  }
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
  return {
    sim,
    gateway,
    portalId: portal.portalId,
    async close() {
      await gateway.close();
      await sim.close();
    },
  };
}

/**
 * Starts a world and registers `adapterId`'s channel with the gateway's own registration service
 * (capabilities from the adapter manifest, webhook and connect URLs on the gateway).
 */
export async function startHubSpotAdapterWorld(
  adapterId: string,
  options: HubSpotWorldOptions,
): Promise<HubSpotAdapterWorld> {
  const world = await startHubSpotWorld(options);
  try {
    const { gateway } = world;
    const registrations = new ChannelRegistrationService({
      hubspot: gateway.app.get(HubSpotClient, { strict: false }),
      registrations: gateway.app.get(ChannelRegistrationRepository),
      // The gateway's URL, not a configured PUBLIC_URL: the simulator must reach this gateway.
      config: { PUBLIC_URL: gateway.url },
      plugins: gateway.app.get<LoadedPlugin[]>(LOADED_PLUGINS, { strict: false }),
    });
    const [target] = registrations.targets([adapterId]);
    const outcome = await registrations.register(target);
    return { ...world, adapterId, channelId: outcome.channel.id };
  } catch (error) {
    await world.close();
    throw error;
  }
}

/**
 * Connects a platform account through the HubSpot popup flow over plain fetch: the simulator's
 * connect URL, the gateway's form (`credentials` keyed by the adapter's credential fields), the
 * staging-token PATCH and HubSpot's redirect, after which the simulator sends
 * CHANNEL_ACCOUNT_CREATED. `deliveryIdentifier` is the account's identifier the adapter reports
 * (bot id, phone number...), used to find the HubSpot account. `inboxId` picks the inbox or help
 * desk (default: the portal's first inbox, an INBOX).
 */
export async function connectAccountThroughPopup(
  world: Pick<HubSpotAdapterWorld, 'sim' | 'gateway' | 'portalId' | 'channelId'> & {
    adapterId?: string;
  },
  credentials: Record<string, string>,
  deliveryIdentifier: string,
  options: { inboxId?: string; adapterId?: string } = {},
): Promise<{ hubspotId: string; hubspotAccount: SimChannelAccount }> {
  const { sim, gateway, portalId, channelId } = world;
  const adapterId = options.adapterId ?? world.adapterId ?? 'echo';
  const start = await postJson<{ connectUrl: string; redirectUrl: string }>(
    `${sim.baseUrl}/__sim/channels/${channelId}/connect-url`,
    { portalId, ...(options.inboxId !== undefined && { inboxId: options.inboxId }) },
  );
  const page = await (await fetch(start.connectUrl)).text();
  const form = /name="form" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const submitted = await fetch(`${gateway.url}/connect/${adapterId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ form: form.replace(/&quot;/g, '"'), ...credentials }).toString(),
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
    (account) =>
      account.channelId === channelId && account.deliveryIdentifier?.value === deliveryIdentifier,
  );
  if (!hubspotAccount) {
    throw new Error(`no HubSpot channel account with delivery identifier ${deliveryIdentifier}`);
  }
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

/**
 * Waits until the gateway bound the account and receives for it (its webhook is registered on
 * the platform): binding comes first, receiving starts right after, so a platform message sent
 * in between might go nowhere.
 */
export async function receivingAccount(
  gateway: TestGateway,
  hubspotId: string,
  timeoutMs = 15_000,
): Promise<ChannelAccount> {
  const account = await boundAccount(gateway, hubspotId, timeoutMs);
  const supervisor = gateway.app.get(AdapterSupervisor);
  await eventually(
    () =>
      supervisor
        .health()
        .flatMap((adapter) => adapter.accounts)
        .some((candidate) => candidate.id === account.id && candidate.state === 'receiving')
        ? true
        : undefined,
    timeoutMs,
    `account ${account.id} to be receiving`,
  );
  return account;
}

/** The id of the portal's help desk (threads there get a ticket each). */
export function helpDeskInboxId(world: Pick<HubSpotWorld, 'sim' | 'portalId'>): string {
  const inbox = [...world.sim.state.inboxes.values()].find(
    (candidate) => candidate.portalId === world.portalId && candidate.type === 'HELP_DESK',
  );
  if (!inbox) throw new Error(`portal ${world.portalId} has no help desk`);
  return inbox.id;
}

/** What an agent writes in HubSpot's composer (the simulator's reply control API). */
export interface AgentReply {
  text: string;
  richText?: string;
  /** Files uploaded first (uploadToHubSpot). */
  fileIds?: string[];
  /** The HubSpot message the agent replies to. */
  inReplyToId?: string;
  /** `fileUsageType` by file id where it is not the one the content type gives (VOICE_RECORDING). */
  fileUsageTypes?: Record<string, FileUsageType>;
}

export type HubSpotStatusType = 'SENT' | 'FAILED' | 'READ';

/**
 * An agent replies in HubSpot's UI; resolves the HubSpot message id once the webhook reached the
 * gateway (HubSpot sends webhooks concurrently: waiting keeps the order of a test's replies).
 */
export async function agentReplies(
  world: Pick<HubSpotWorld, 'sim'>,
  threadId: string,
  reply: AgentReply,
  timeoutMs = 20_000,
): Promise<string> {
  const answer = await postJson<{ message: SimMessage; webhookDeliveryId: string }>(
    `${world.sim.baseUrl}/__sim/threads/${threadId}/reply`,
    reply,
  );
  await eventually(
    () =>
      world.sim.state.webhooks.find((d) => d.id === answer.webhookDeliveryId)?.state === 'DELIVERED'
        ? true
        : undefined,
    timeoutMs,
    'the webhook to be delivered',
  );
  return answer.message.id;
}

/** Waits until HubSpot shows `status` on an agent's message. */
export function statusIs(
  world: Pick<HubSpotWorld, 'sim'>,
  messageId: string,
  status: HubSpotStatusType,
  timeoutMs = 30_000,
): Promise<SimMessage> {
  return eventually(
    () => {
      const message = world.sim.state.messages.get(messageId);
      return message?.status?.statusType === status ? message : undefined;
    },
    timeoutMs,
    `message ${messageId} to be ${status} in HubSpot`,
  );
}

/** Uploads a file into the portal's File Manager, as an agent attaching it to a reply does. */
export function uploadToHubSpot(
  world: Pick<HubSpotWorld, 'sim' | 'portalId'>,
  name: string,
  contentType: string,
  content: Buffer,
): Promise<{ id: string }> {
  return postJson<{ id: string }>(`${world.sim.baseUrl}/__sim/files`, {
    portalId: world.portalId,
    name,
    contentType,
    contentBase64: content.toString('base64'),
  });
}

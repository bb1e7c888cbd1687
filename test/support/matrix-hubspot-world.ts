/**
 * The world of the Matrix end-to-end tests: a Matrix homeserver simulator, the HubSpot simulator
 * and a gateway with the matrix adapter (bot or appservice mode) behind a stable reverse proxy,
 * so that the gateway can be restarted (it listens on a new port each time) while HubSpot's
 * webhooks and the homeserver's transactions keep their URL.
 */
import { ForwardingProxy } from './forwarding-proxy';
import {
  appserviceUrl,
  buildRegistration,
  newToken,
  type AppserviceRegistration,
} from '../../plugins/matrix/matrix-registration';
import type { GatewayHealth } from '../../src/core/observability/health.service';
import type { ChannelAccount } from '../../src/core/persistence/models/channel-account.model';
import type { StoredMessage } from '../../src/core/persistence/models/message.model';
import { ChannelRegistrationRepository } from '../../src/core/persistence/repositories/channel-registration.repository';
import { MessageRepository } from '../../src/core/persistence/repositories/message.repository';
import { LOADED_PLUGINS } from '../../src/core/plugins/adapter-supervisor';
import type { LoadedPlugin } from '../../src/core/plugins/plugin-loader';
import { ChannelRegistrationService } from '../../src/hubspot/channels/channel-registration.service';
import { HubSpotClient } from '../../src/hubspot/client/hubspot-client';
import { startMatrixSimulator, type MatrixSimulator } from '../simulators/matrix';
import type { Message as SimMessage } from '../simulators/hubspot/types';
import {
  boundAccount,
  connectAccountThroughPopup,
  helpDeskInboxId,
  startHubSpotAdapterWorld,
  type HubSpotAdapterWorld,
} from './hubspot-world';
import { eventually, startTestGateway, type TestGateway } from './test-gateway';

export {
  type AgentReply,
  agentReplies,
  type HubSpotStatusType as StatusType,
  statusIs,
  uploadToHubSpot,
} from './hubspot-world';

export type MatrixMode = 'bot' | 'appservice';

/** The appservice bot user (`sender_localpart` of the registration) on the simulator. */
export const APPSERVICE_BOT = '@_hubspot_bot:localhost';

export interface MatrixHubSpotWorld extends HubSpotAdapterWorld {
  matrix: MatrixSimulator;
  mode: MatrixMode;
  /** The gateway's stable URL (PUBLIC_URL): the proxy in front of whichever gateway runs. */
  publicUrl: string;
  /** Stops the running gateway (what a crash or deploy does to the process). */
  stopGateway(): Promise<void>;
  /** Starts a gateway again on the same database and configuration; `gateway` is the new one. */
  startGateway(): Promise<TestGateway>;
}

/** One connected Matrix account: the bot's user id and the gateway / HubSpot account ids. */
export interface ConnectedMatrixAccount {
  botUserId: string;
  account: ChannelAccount;
  hubspotAccountId: string;
  /** Appservice mode: the registration the homeserver knows (with its final url). */
  registration?: AppserviceRegistration;
}

export async function startMatrixHubSpotWorld(mode: MatrixMode): Promise<MatrixHubSpotWorld> {
  const matrix = await startMatrixSimulator({
    serverName: 'localhost',
    // The gateway is sometimes down on purpose: the homeserver retries transactions quickly.
    appservicePush: { initialBackoffMs: 50, maxBackoffMs: 500 },
  });
  const proxy = new ForwardingProxy();
  const publicUrl = await proxy.start();
  // Short long-polls keep stops quick; sync failures are retried quickly.
  const yaml = `adapters:\n  matrix:\n    mode: ${mode}\n    syncTimeoutMs: 2000\n    syncRetryDelayMs: 50\n`;
  let world: HubSpotAdapterWorld;
  try {
    world = await startHubSpotAdapterWorld('matrix', { yaml, env: { PUBLIC_URL: publicUrl } });
  } catch (error) {
    await proxy.stop();
    await matrix.close();
    throw error;
  }
  proxy.target = world.gateway.url;
  const { sim } = world;
  const env = {
    HUBSPOT_API_BASE_URL: sim.baseUrl,
    HUBSPOT_APP_ID: String(sim.app.appId),
    HUBSPOT_CLIENT_ID: sim.app.clientId,
    HUBSPOT_CLIENT_SECRET: sim.app.clientSecret,
    HUBSPOT_DEVELOPER_API_KEY: sim.app.developerApiKey,
    PUBLIC_URL: publicUrl,
  };
  const cwd = world.gateway.cwd;
  let running: TestGateway | undefined = world.gateway;

  const result: MatrixHubSpotWorld = {
    ...world,
    matrix,
    mode,
    publicUrl,
    async stopGateway() {
      const current = running;
      running = undefined;
      await current?.close();
    },
    async startGateway() {
      const gateway = await startTestGateway({ cwd, yaml, env });
      running = gateway;
      result.gateway = gateway;
      proxy.target = gateway.url;
      return gateway;
    },
    async close() {
      await running?.close();
      await proxy.stop();
      await sim.close();
      await matrix.close();
    },
  };
  try {
    // HubSpot signs webhooks for the URL it calls, which the gateway checks against PUBLIC_URL:
    // the channel's URLs go through the proxy, as `channels:register` with this PUBLIC_URL does.
    const registrations = new ChannelRegistrationService({
      hubspot: world.gateway.app.get(HubSpotClient, { strict: false }),
      registrations: world.gateway.app.get(ChannelRegistrationRepository),
      config: { PUBLIC_URL: publicUrl },
      plugins: world.gateway.app.get<LoadedPlugin[]>(LOADED_PLUGINS, { strict: false }),
    });
    await registrations.register(registrations.targets(['matrix'])[0]);
  } catch (error) {
    await result.close();
    throw error;
  }
  return result;
}

/** The account's state on /health (`receiving`, `standby`, ...) and its warnings. */
export async function accountHealth(
  world: Pick<MatrixHubSpotWorld, 'gateway'>,
  accountId: string,
): Promise<GatewayHealth['adapters'][number]['accounts'][number] | undefined> {
  const health = (await (await fetch(`${world.gateway.url}/health`)).json()) as GatewayHealth;
  return health.adapters.flatMap((adapter) => adapter.accounts).find((a) => a.id === accountId);
}

export function receiving(world: Pick<MatrixHubSpotWorld, 'gateway'>, accountId: string) {
  return eventually(
    async () => ((await accountHealth(world, accountId))?.state === 'receiving' ? true : undefined),
    20_000,
    `account ${accountId} to be receiving`,
  );
}

/**
 * Bot mode: creates a bot user and connects it through HubSpot's popup into the help desk, by
 * access token or (`login: 'password'`) by user id and password.
 */
export async function connectBot(
  world: MatrixHubSpotWorld,
  localpart: string,
  options: { login?: 'token' | 'password'; displayName?: string } = {},
): Promise<ConnectedMatrixAccount> {
  const bot = world.matrix.createUser({
    user: localpart,
    password: `${localpart}-secret`,
    displayName: options.displayName ?? 'Support Bot',
  });
  const credentials: Record<string, string> =
    options.login === 'password'
      ? { homeserverUrl: world.matrix.baseUrl, userId: bot.userId, password: `${localpart}-secret` }
      : { homeserverUrl: world.matrix.baseUrl, accessToken: bot.accessToken };
  const { hubspotId } = await connectAccountThroughPopup(world, credentials, bot.userId, {
    inboxId: helpDeskInboxId(world),
  });
  const account = await boundAccount(world.gateway, hubspotId);
  await receiving(world, account.id);
  return { botUserId: bot.userId, account, hubspotAccountId: hubspotId };
}

/**
 * Appservice mode, the operator's two steps: the registration without `url` is given to the
 * homeserver, the account is connected with its as_token and hs_token, then the registration's
 * `url` names the account's webhook URL.
 */
export async function connectAppservice(
  world: MatrixHubSpotWorld,
): Promise<ConnectedMatrixAccount> {
  const first = buildRegistration({
    id: 'hubspot-gateway',
    url: null,
    asToken: newToken(),
    hsToken: newToken(),
    prefix: '_hubspot_',
    serverName: 'localhost',
  });
  world.matrix.registerAppservice(first);
  const { hubspotId } = await connectAccountThroughPopup(
    world,
    {
      homeserverUrl: world.matrix.baseUrl,
      accessToken: first.as_token,
      hsToken: first.hs_token,
    },
    APPSERVICE_BOT,
    { inboxId: helpDeskInboxId(world) },
  );
  const account = await boundAccount(world.gateway, hubspotId);
  await receiving(world, account.id);
  const registration = { ...first, url: appserviceUrl(world.publicUrl, account.id) };
  world.matrix.registerAppservice(registration);
  return { botUserId: APPSERVICE_BOT, account, hubspotAccountId: hubspotId, registration };
}

/** A customer (a new Matrix user) opens a direct room with the bot; resolves once the bot joined. */
export async function customerRoom(
  world: Pick<MatrixHubSpotWorld, 'matrix'>,
  botUserId: string,
  localpart: string,
  displayName: string,
): Promise<{ customer: string; roomId: string }> {
  const customer = world.matrix.createUser({ user: localpart, displayName }).userId;
  const { roomId } = world.matrix.createRoom({
    creator: customer,
    isDirect: true,
    invite: [botUserId],
  });
  await eventually(
    () => (world.matrix.roomSummary(roomId).members[botUserId] === 'join' ? true : undefined),
    15_000,
    `the bot to join ${roomId}`,
  );
  return { customer, roomId };
}

/** The local record of a Matrix event once it is PUBLISHED to HubSpot. */
export function published(
  world: Pick<MatrixHubSpotWorld, 'gateway'>,
  accountId: string,
  eventId: string,
  timeoutMs = 20_000,
): Promise<StoredMessage> {
  return eventually(
    async () => {
      const stored = await world.gateway.app
        .get(MessageRepository)
        .findByExternalId(accountId, eventId);
      return stored?.status === 'PUBLISHED' ? stored : undefined;
    },
    timeoutMs,
    `event ${eventId} to be published`,
  );
}

/** HubSpot's copy of a published message. */
export function hubspotMessage(
  world: Pick<MatrixHubSpotWorld, 'sim'>,
  stored: Pick<StoredMessage, 'hubspotMessageId'>,
): SimMessage {
  const message = world.sim.state.messages.get(stored.hubspotMessageId ?? '');
  if (!message) throw new Error(`HubSpot has no message ${stored.hubspotMessageId}`);
  return message;
}

/** HubSpot's INCOMING messages of a channel account (what agents see from customers). */
export function incomingMessages(
  world: Pick<MatrixHubSpotWorld, 'sim'>,
  hubspotAccountId: string,
): SimMessage[] {
  return [...world.sim.state.messages.values()].filter(
    (m) => m.channelAccountId === hubspotAccountId && m.direction === 'INCOMING',
  );
}

/** Deterministic test bytes of a given size. */
export function testBytes(seed: number, size: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed * 7) % 256));
}

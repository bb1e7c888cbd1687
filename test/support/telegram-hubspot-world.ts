import type { GatewayHealth } from '../../src/core/observability/health.service';
import type { ChannelAccount } from '../../src/core/persistence/models/channel-account.model';
import type { StoredMessage } from '../../src/core/persistence/models/message.model';
import { MessageRepository } from '../../src/core/persistence/repositories/message.repository';
import { LOADED_PLUGINS } from '../../src/core/plugins/adapter-supervisor';
import type { LoadedPlugin } from '../../src/core/plugins/plugin-loader';
import { ChannelRegistrationService } from '../../src/hubspot/channels/channel-registration.service';
import { HubSpotClient } from '../../src/hubspot/client/hubspot-client';
import { ChannelRegistrationRepository } from '../../src/core/persistence/repositories/channel-registration.repository';
import type { Message as SimMessage } from '../simulators/hubspot/types';
import {
  type RateLimitOptions,
  type SentRecord,
  startTelegramSimulator,
  type TelegramSimulator,
  type TgChat,
  type TgUser,
} from '../simulators/telegram';
import {
  type AgentReply,
  agentReplies,
  boundAccount,
  connectAccountThroughPopup,
  helpDeskInboxId,
  type HubSpotAdapterWorld,
  postJson,
  startHubSpotAdapterWorld,
  statusIs,
} from './hubspot-world';
import { eventually, startTestGateway } from './test-gateway';

export type TelegramMode = 'webhook' | 'polling';

export interface TelegramWorldOptions {
  /** `adapters.telegram.mode`; left out of the config when undefined (the plugin's default). */
  mode?: TelegramMode;
  /** The Telegram simulator's flood limits (default: off). */
  rateLimits?: Partial<RateLimitOptions> | false;
  /** More `adapters.telegram` keys, e.g. `{ mediaGroupWaitMs: 300 }`. */
  settings?: Record<string, string | number>;
}

/** A bot connected to the portal's help desk through HubSpot's popup, bound and receiving. */
export interface ConnectedBot {
  token: string;
  /** `@username`, the HubSpot delivery identifier. */
  username: string;
  botId: number;
  account: ChannelAccount;
  hubspotId: string;
}

/**
 * The Telegram simulator, the HubSpot simulator and a gateway with the telegram adapter pointed
 * at the Telegram simulator, its channel registered; the gateway can be restarted on its database.
 */
export interface TelegramHubSpotWorld extends HubSpotAdapterWorld {
  telegram: TelegramSimulator;
  /** Connects a new bot through the popup into the help desk and waits until it receives. */
  connectBot(username: string, firstName?: string): Promise<ConnectedBot>;
  /** Stops the gateway (gracefully, as on a deploy); its database stays. */
  stopGateway(): Promise<void>;
  /**
   * Starts a gateway on the stopped one's database (a new port) and registers the channel again
   * so that HubSpot's webhooks reach it.
   */
  startGateway(): Promise<void>;
  /** The state the health endpoint reports for an account ('receiving', 'standby'...). */
  accountState(accountId: string): Promise<string | undefined>;
  /** Waits until the gateway reports the account as receiving. */
  receiving(accountId: string): Promise<void>;
  /** The local record of a customer message (`chatId:messageId`) once it is PUBLISHED. */
  published(accountId: string, externalId: string, timeoutMs?: number): Promise<StoredMessage>;
  /** HubSpot's copy of a published message. */
  hubspotMessage(stored: StoredMessage): SimMessage;
  /** An agent reply in HubSpot's UI; resolves its HubSpot id once the webhook was delivered. */
  agentReplies(threadId: string, reply: AgentReply): Promise<string>;
  /** Waits until HubSpot shows `status` on an agent message. */
  statusIs(messageId: string, status: 'SENT' | 'FAILED' | 'READ'): Promise<SimMessage>;
  /** A new customer writes to a bot; resolves their chat and the HubSpot thread. */
  customerOpens(bot: ConnectedBot, firstName: string): Promise<CustomerThread>;
  /** Someone writes in a chat (`from` in groups); resolves where it landed in HubSpot. */
  customerWrites(bot: ConnectedBot, chat: TgChat, text: string, from?: TgUser): Promise<Landed>;
  /** What the bot sent into a chat, oldest first. */
  sentTo(bot: ConnectedBot, chatId: number): Promise<SentRecord[]>;
  /** The gateway's record of an agent message. */
  localRecord(hubspotMessageId: string): Promise<StoredMessage>;
  /** The statuses HubSpot has seen on a message, in order. */
  statusTypes(hubspotMessageId: string): string[] | undefined;
  /** Uploads a file to HubSpot's file manager (what the agent attaches). */
  uploadToHubSpot(name: string, contentType: string, content: Buffer): Promise<{ id: string }>;
}

/** A customer message as published: its HubSpot thread and ids on both sides. */
export interface Landed {
  threadId: string;
  hubspotMessageId: string;
  telegramMessageId: number;
}

export interface CustomerThread extends Landed {
  user: TgUser;
  chat: TgChat;
}

export type { AgentReply };

function telegramYaml(apiRoot: string, options: TelegramWorldOptions): string {
  const lines = ['adapters:', '  telegram:', `    apiRoot: ${apiRoot}`];
  if (options.mode) lines.push(`    mode: ${options.mode}`);
  // Short long polls: a stopping gateway does not wait for a held getUpdates.
  const settings = { pollingTimeoutSeconds: 2, pollingRetryDelayMs: 200, ...options.settings };
  for (const [key, value] of Object.entries(settings)) lines.push(`    ${key}: ${value}`);
  return `${lines.join('\n')}\n`;
}

export async function startTelegramHubSpotWorld(
  options: TelegramWorldOptions = {},
): Promise<TelegramHubSpotWorld> {
  const telegram = await startTelegramSimulator({
    rateLimits: options.rateLimits ?? false,
    webhook: { retryBaseMs: 100, retryMaxMs: 1000 },
  });
  const yaml = telegramYaml(telegram.baseUrl, options);
  let base: HubSpotAdapterWorld;
  try {
    base = await startHubSpotAdapterWorld('telegram', { yaml });
  } catch (error) {
    await telegram.close();
    throw error;
  }
  const world = base as TelegramHubSpotWorld;
  world.telegram = telegram;
  // Not base.close: that one closes the first gateway, and startGateway replaces it.
  let running = true;
  world.close = async () => {
    if (running) await world.gateway.close();
    await world.sim.close();
    await telegram.close();
  };

  const repo = <T>(type: abstract new (...args: never[]) => T): T => world.gateway.app.get<T>(type);

  world.accountState = async (accountId) => {
    const response = await fetch(`${world.gateway.url}/health`);
    const health = (await response.json()) as GatewayHealth;
    return health.adapters
      .flatMap((adapter) => adapter.accounts)
      .find((account) => account.id === accountId)?.state;
  };

  world.receiving = async (accountId) => {
    await eventually(
      async () => ((await world.accountState(accountId)) === 'receiving' ? true : undefined),
      15_000,
      `account ${accountId} to be receiving`,
    );
  };

  world.connectBot = async (username, firstName = 'Support') => {
    const bot = await telegram.createBot({ username, first_name: firstName });
    const { hubspotId } = await connectAccountThroughPopup(
      world,
      { botToken: bot.token },
      `@${username}`,
      { inboxId: helpDeskInboxId(world), adapterId: 'telegram' },
    );
    const account = await boundAccount(world.gateway, hubspotId);
    await world.receiving(account.id);
    return { token: bot.token, username, botId: bot.user.id, account, hubspotId };
  };

  world.stopGateway = async () => {
    running = false;
    await world.gateway.close();
  };

  world.startGateway = async () => {
    const { cwd } = world.gateway;
    world.gateway = await startTestGateway({
      cwd,
      yaml,
      env: {
        HUBSPOT_API_BASE_URL: world.sim.baseUrl,
        HUBSPOT_APP_ID: String(world.sim.app.appId),
        HUBSPOT_CLIENT_ID: world.sim.app.clientId,
        HUBSPOT_CLIENT_SECRET: world.sim.app.clientSecret,
        HUBSPOT_DEVELOPER_API_KEY: world.sim.app.developerApiKey,
      },
    });
    running = true;
    // HubSpot's webhooks must reach the new port: register the channel again (an update).
    const registrations = new ChannelRegistrationService({
      hubspot: world.gateway.app.get(HubSpotClient, { strict: false }),
      registrations: world.gateway.app.get(ChannelRegistrationRepository),
      config: { PUBLIC_URL: world.gateway.url },
      plugins: world.gateway.app.get<LoadedPlugin[]>(LOADED_PLUGINS, { strict: false }),
    });
    const [target] = registrations.targets(['telegram']);
    const outcome = await registrations.register(target);
    if (outcome.channel.id !== world.channelId) {
      throw new Error(`the restarted gateway registered another channel: ${outcome.channel.id}`);
    }
  };

  world.published = (accountId, externalId, timeoutMs = 20_000) =>
    eventually(
      async () => {
        const stored = await repo(MessageRepository).findByExternalId(accountId, externalId);
        return stored?.status === 'PUBLISHED' ? stored : undefined;
      },
      timeoutMs,
      `message ${externalId} to be published`,
    );

  world.hubspotMessage = (stored) => {
    const message = world.sim.state.messages.get(stored.hubspotMessageId ?? '');
    if (!message) throw new Error(`HubSpot has no message ${stored.hubspotMessageId}`);
    return message;
  };

  world.agentReplies = (threadId, reply) => agentReplies(world, threadId, reply);
  world.statusIs = (messageId, status) => statusIs(world, messageId, status);

  world.customerWrites = async (bot, chat, text, from) => {
    const injected = await telegram.injectMessage(bot.token, {
      chat_id: chat.id,
      text,
      ...(from && { from_id: from.id }),
    });
    const stored = await world.published(
      bot.account.id,
      `${chat.id}:${injected.message.message_id}`,
    );
    return {
      threadId: stored.hubspotThreadId ?? '',
      hubspotMessageId: stored.hubspotMessageId ?? '',
      telegramMessageId: injected.message.message_id,
    };
  };

  world.customerOpens = async (bot, firstName) => {
    const { user, chat } = await telegram.createCustomer({ first_name: firstName });
    return { user, chat, ...(await world.customerWrites(bot, chat, `hello, I am ${firstName}`)) };
  };

  world.sentTo = (bot, chatId) => telegram.sentMessages(bot.token, chatId);

  world.localRecord = async (hubspotMessageId) => {
    const found = await repo(MessageRepository).findByHubSpotId(hubspotMessageId);
    if (!found) throw new Error(`no local record of ${hubspotMessageId}`);
    return found;
  };

  world.statusTypes = (hubspotMessageId) =>
    world.sim.state.messages
      .get(hubspotMessageId)
      ?.statusHistory.map((entry) => entry.status.statusType);

  world.uploadToHubSpot = (name, contentType, content) =>
    postJson<{ id: string }>(`${world.sim.baseUrl}/__sim/files`, {
      portalId: world.portalId,
      name,
      contentType,
      contentBase64: content.toString('base64'),
    });

  return world;
}

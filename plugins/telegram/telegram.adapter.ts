/**
 * The Telegram adapter: one bot per channel account (its BotFather token), updates by webhook
 * (default) or getUpdates polling, media through getFile, replies through grammY's Api.
 */
import { Api } from 'grammy';
import type { Update } from 'grammy/types';
import {
  InvalidCredentialsError,
  type AccountContext,
  type AccountIdentity,
  type AdapterWebhookRequest,
  type AdapterWebhookResponse,
  type AttachmentStream,
  type ChannelAdapter,
  type Credentials,
  type InboundBinaryAttachment,
  type InboundMessageEvent,
  type OutboundMessage,
  type PluginContext,
  type SendResult,
  type StopReceivingOptions,
} from '../../src/core/adapter';
import { KeyedLock } from './account-lock';
import { inOriginalConversation, migrationOf, rememberMigration } from './telegram-chat-migrations';
import { mapTelegramError, telegramCall } from './telegram-errors';
import { openTelegramFile } from './telegram-files';
import { DEFAULT_API_ROOT } from './telegram-limits';
import { MediaGroupBuffer } from './telegram-media-groups';
import { TelegramPoller } from './telegram-poller';
import { DEFAULT_TELEGRAM_RATE_LIMITS, TelegramRateLimiter } from './telegram-rate-limiter';
import { SendJournal } from './telegram-send-journal';
import { TelegramSender } from './telegram-sender';
import { throttleSends } from './telegram-throttle';
import { ALLOWED_UPDATES } from './telegram-updates';
import {
  parseUpdate,
  SECRET_HEADER,
  SECRET_KEY,
  secretMatches,
  webhookSecret,
} from './telegram-webhook';
import { telegramManifest } from './telegram.manifest';
import { mapTelegramUpdate, messageOf } from './telegram.mapper';
import type { TelegramReceiveMode, TelegramSettings } from './telegram.settings';

const TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{20,}$/;

interface Receiving {
  account: AccountContext;
  mode: TelegramReceiveMode;
  albums: MediaGroupBuffer;
  poller?: TelegramPoller;
}

export class TelegramAdapter implements ChannelAdapter {
  readonly manifest = telegramManifest;
  private readonly receiving = new Map<string, Receiving>();
  /**
   * Webhook-mode accounts another gateway process receives for (holds the lease and the
   * registration): their webhooks may still arrive here through a load balancer.
   */
  private readonly standby = new Map<string, Receiving>();
  private readonly apis = new Map<string, Api>();
  private readonly lock = new KeyedLock();

  constructor(private readonly context: PluginContext<TelegramSettings>) {}

  private get apiRoot(): string {
    return (this.context.settings.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
  }

  async validateCredentials(credentials: Credentials): Promise<AccountIdentity> {
    const token = (credentials.botToken ?? '').trim();
    if (!TOKEN_PATTERN.test(token)) {
      throw new InvalidCredentialsError(
        'A Telegram bot token looks like 123456789:AAH... (ask @BotFather for it)',
      );
    }
    const me = await telegramCall(() => this.api(token).getMe());
    return {
      displayName: me.first_name,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: `@${me.username}` },
      normalizedCredentials: token === credentials.botToken ? undefined : { botToken: token },
    };
  }

  async startReceiving(account: AccountContext): Promise<void> {
    await this.stopReceiving(account.accountId);
    await this.dropStandby(account.accountId);
    const api = this.accountApi(account);
    const mode = this.modeOf(account);
    const entry: Receiving = { account, mode, albums: this.albumBuffer(account) };
    if (mode === 'webhook') {
      const secret = await webhookSecret(account);
      this.receiving.set(account.accountId, entry);
      try {
        await telegramCall(() =>
          api.setWebhook(account.webhookUrl, {
            secret_token: secret,
            allowed_updates: [...ALLOWED_UPDATES],
          }),
        );
      } catch (error) {
        this.receiving.delete(account.accountId);
        throw error;
      }
    } else {
      await telegramCall(() => api.deleteWebhook());
      entry.poller = new TelegramPoller(
        api,
        account,
        (update) => this.handleUpdate(entry, update),
        {
          timeoutSeconds: this.context.settings.pollingTimeoutSeconds ?? 30,
          retryDelayMs: this.context.settings.pollingRetryDelayMs ?? 3000,
        },
      );
      this.receiving.set(account.accountId, entry);
      entry.poller.start();
    }
    await entry.albums.resume();
    account.logger.info(`telegram: receiving by ${mode}`, { webhookUrl: account.webhookUrl });
  }

  async stopReceiving(accountId: string, options?: StopReceivingOptions): Promise<void> {
    const entry = this.receiving.get(accountId);
    if (!entry) return;
    this.receiving.delete(accountId);
    await entry.poller?.stop();
    await entry.albums.stop();
    // On handover the webhook now belongs to the process that took the account over.
    if (entry.mode === 'webhook' && !options?.handover) {
      try {
        await this.accountApi(entry.account).deleteWebhook();
      } catch (error) {
        // Updates that still arrive are answered 503 and Telegram keeps them.
        entry.account.logger.warn('telegram: could not delete the webhook', {
          error: String(mapTelegramError(error)),
        });
      }
    }
  }

  async handleWebhook(
    account: AccountContext,
    request: AdapterWebhookRequest,
  ): Promise<AdapterWebhookResponse> {
    const secret = await account.state.get<string>(SECRET_KEY);
    if (!secretMatches(secret, headerOf(request, SECRET_HEADER))) {
      return { status: 401, body: { ok: false, error: 'secret token is wrong' } };
    }
    if (request.method !== 'POST') return { status: 405 };
    const entry = this.receiving.get(account.accountId) ?? this.standbyEntry(account);
    if (!entry || entry.mode !== 'webhook') {
      return { status: 503, body: { ok: false, error: 'this account receives by polling' } };
    }
    const update = parseUpdate(request.rawBody);
    if (!update) return { status: 400, body: { ok: false, error: 'not a Telegram update' } };
    await this.handleUpdate(entry, update);
    return { status: 200 };
  }

  async openAttachment(
    account: AccountContext,
    attachment: InboundBinaryAttachment,
  ): Promise<AttachmentStream> {
    return openTelegramFile(this.accountApi(account), this.apiRoot, tokenOf(account), attachment);
  }

  async send(account: AccountContext, message: OutboundMessage): Promise<SendResult> {
    const journal = new SendJournal(account.state, this.lock, `journal:${account.accountId}`);
    return new TelegramSender(this.accountApi(account), account, journal).send(message);
  }

  async shutdown(): Promise<void> {
    for (const accountId of [...this.receiving.keys()]) {
      const entry = this.receiving.get(accountId);
      this.receiving.delete(accountId);
      await entry?.poller?.stop();
      await entry?.albums.stop();
    }
    for (const accountId of [...this.standby.keys()]) await this.dropStandby(accountId);
    this.apis.clear();
  }

  /**
   * Webhook handling for an account this process does not receive for: same secret and state
   * (shared database), its own album timers. Undefined when the account receives by polling.
   */
  private standbyEntry(account: AccountContext): Receiving | undefined {
    if (this.modeOf(account) !== 'webhook') return undefined;
    const existing = this.standby.get(account.accountId);
    if (existing?.account === account) return existing;
    if (existing) void existing.albums.stop();
    const entry: Receiving = { account, mode: 'webhook', albums: this.albumBuffer(account) };
    this.standby.set(account.accountId, entry);
    return entry;
  }

  private async dropStandby(accountId: string): Promise<void> {
    const entry = this.standby.get(accountId);
    this.standby.delete(accountId);
    await entry?.albums.stop();
  }

  private albumBuffer(account: AccountContext): MediaGroupBuffer {
    return new MediaGroupBuffer(
      account,
      botIdOf(account),
      this.context.settings.mediaGroupWaitMs ?? 800,
      (event) => emitMessage(account, event),
    );
  }

  /** Emits what an update means; resolves once it is stored (album items: in the state). */
  private async handleUpdate(entry: Receiving, update: Update): Promise<void> {
    const { account } = entry;
    const carried = messageOf(update);
    const migration = carried && migrationOf(carried.message);
    if (migration) {
      // Stored before the update is acknowledged: Telegram sends a chat's updates one after
      // another, and the supergroup's first one is this service message, so every customer
      // message of the supergroup finds the migration known.
      await rememberMigration(account.state, migration.from, migration.to);
      account.logger.info('telegram: group migrated to a supergroup', { ...migration });
      return;
    }
    if (carried?.message.media_group_id !== undefined && !carried.edited) {
      await entry.albums.add(update.update_id, carried.message, carried.edited);
      return;
    }
    if (update.my_chat_member) {
      const { chat, new_chat_member } = update.my_chat_member;
      account.logger.info('telegram: bot membership changed', {
        chatId: chat.id,
        status: new_chat_member.status,
      });
      return;
    }
    const event = mapTelegramUpdate(update, botIdOf(account));
    if (event) await emitMessage(account, event);
  }

  private modeOf(account: AccountContext): TelegramReceiveMode {
    const override = account.settings.mode;
    if (override === 'webhook' || override === 'polling') return override;
    // Telegram delivers webhooks over HTTPS only: without an https PUBLIC_URL, poll.
    const fallback = /^https:/i.test(this.context.publicUrl) ? 'webhook' : 'polling';
    return this.context.settings.mode ?? fallback;
  }

  private accountApi(account: AccountContext): Api {
    return this.api(tokenOf(account));
  }

  /** One grammY Api per bot, its sends throttled to the bot's flood limits. */
  private api(token: string): Api {
    let api = this.apis.get(token);
    if (!api) {
      api = new Api(token, { apiRoot: this.apiRoot });
      api.config.use(throttleSends(this.newLimiter()));
      this.apis.set(token, api);
    }
    return api;
  }

  private newLimiter(): TelegramRateLimiter {
    const settings = this.context.settings;
    return new TelegramRateLimiter({
      ...DEFAULT_TELEGRAM_RATE_LIMITS,
      botPerSecond: settings.botMessagesPerSecond ?? DEFAULT_TELEGRAM_RATE_LIMITS.botPerSecond,
      chatPerSecond: settings.chatMessagesPerSecond ?? DEFAULT_TELEGRAM_RATE_LIMITS.chatPerSecond,
      groupPerMinute:
        settings.groupMessagesPerMinute ?? DEFAULT_TELEGRAM_RATE_LIMITS.groupPerMinute,
    });
  }
}

/** Emits a message event; a migrated supergroup's messages go on in the group's conversation. */
async function emitMessage(account: AccountContext, event: InboundMessageEvent): Promise<void> {
  await account.emit(await inOriginalConversation(account.state, event));
}

/** A request header by name, whatever case the HTTP layer kept. */
function headerOf(request: AdapterWebhookRequest, name: string): string | undefined {
  const found = Object.entries(request.headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}

function tokenOf(account: AccountContext): string {
  const token = (account.credentials.botToken ?? '').trim();
  if (!token) throw new InvalidCredentialsError('The Telegram bot token is missing');
  return token;
}

/** The bot's user id: the numeric part of its token. */
function botIdOf(account: AccountContext): string {
  return tokenOf(account).split(':')[0];
}

/**
 * The Echo adapter: validates tokens, receives updates through a signed webhook, opens files and
 * sends agents' messages to an Echo platform (the one at `platformUrl`, or one started in-process).
 */
import { randomBytes } from 'node:crypto';
import {
  InvalidCredentialsError,
  PermanentError,
  type AccountContext,
  type AccountIdentity,
  type AdapterWebhookRequest,
  type AdapterWebhookResponse,
  type AttachmentStream,
  type ChannelAdapter,
  type Credentials,
  type InboundBinaryAttachment,
  type OutboundMessage,
  type PluginContext,
  type SendResult,
  type StopReceivingOptions,
} from '../../src/core/adapter';
import { EchoApiClient } from './echo-api.client';
import { bodyParts, groupsOf, readAttachments, type EchoBody } from './echo-outbound';
import { EchoPlatformServer } from './echo-platform-server';
import {
  ECHO_LIMITS,
  ECHO_SIGNATURE_HEADER,
  ECHO_TOKEN_PATTERN,
  type EchoSendRequest,
  type EchoUpdate,
} from './echo-platform.types';
import { verifyEchoWebhook } from './echo-webhook-signature';
import { echoManifest } from './echo.manifest';
import { mapEchoUpdate } from './echo.mapper';
import type { EchoSettings } from './echo.settings';

const SECRET_KEY = 'webhookSecret';

export class EchoAdapter implements ChannelAdapter {
  readonly manifest = echoManifest;
  private readonly receiving = new Map<string, AccountContext>();
  /**
   * Webhook secrets by account, read once: every update's webhook checks it, and a secret never
   * changes once stored (webhookSecret only creates a missing one), so a database read per update
   * would buy nothing.
   */
  private readonly secrets = new Map<string, string>();
  private embedded?: { server: EchoPlatformServer; url: Promise<string> };

  constructor(private readonly context: PluginContext<EchoSettings>) {}

  async validateCredentials(credentials: Credentials): Promise<AccountIdentity> {
    const token = (credentials.token ?? '').trim();
    if (!new RegExp(ECHO_TOKEN_PATTERN).test(token)) {
      throw new InvalidCredentialsError(
        'An Echo token starts with "echo_" followed by 8+ characters',
      );
    }
    const me = await (await this.client(token)).me();
    return {
      displayName: me.name,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: me.id },
      normalizedCredentials: token === credentials.token ? undefined : { token },
    };
  }

  async startReceiving(account: AccountContext): Promise<void> {
    const secret = await this.webhookSecret(account);
    this.receiving.set(account.accountId, account);
    try {
      await (await this.client(account.credentials.token)).setWebhook(account.webhookUrl, secret);
    } catch (error) {
      this.receiving.delete(account.accountId);
      throw error;
    }
    account.logger.info('echo: receiving through webhook', { webhookUrl: account.webhookUrl });
  }

  async stopReceiving(accountId: string, options?: StopReceivingOptions): Promise<void> {
    const account = this.receiving.get(accountId);
    if (!account) return;
    this.receiving.delete(accountId);
    // On handover the webhook belongs to the gateway process that took the account over.
    if (options?.handover) return;
    try {
      await (await this.client(account.credentials.token)).deleteWebhook();
    } catch (error) {
      // Updates that still arrive are answered 503 and stay pending on the platform.
      account.logger.warn('echo: could not remove the webhook', { error: String(error) });
    }
  }

  async handleWebhook(
    account: AccountContext,
    request: AdapterWebhookRequest,
  ): Promise<AdapterWebhookResponse> {
    const secret = await this.storedSecret(account);
    const signature = request.headers[ECHO_SIGNATURE_HEADER];
    if (!secret || !verifyEchoWebhook(secret, request.rawBody, signature)) {
      return { status: 401, body: { ok: false, error: 'invalid signature' } };
    }
    if (request.method !== 'POST') return { status: 405 };
    // Also when another gateway process receives for the account: emitting is safe anywhere.
    const update = parseUpdate(request.rawBody);
    if (!update) return { status: 400, body: { ok: false, error: 'not an Echo update' } };
    await account.emit(mapEchoUpdate(update));
    return { status: 200, body: { ok: true } };
  }

  async openAttachment(
    account: AccountContext,
    attachment: InboundBinaryAttachment,
  ): Promise<AttachmentStream> {
    const file = await (await this.client(account.credentials.token)).downloadFile(attachment.ref);
    return {
      stream: file.stream,
      fileName: attachment.fileName ?? file.fileName,
      mimeType: attachment.mimeType ?? file.mimeType,
      sizeBytes: file.sizeBytes ?? attachment.sizeBytes,
    };
  }

  async send(account: AccountContext, message: OutboundMessage): Promise<SendResult> {
    const pattern = this.context.settings.failSendsMatching;
    if (pattern && new RegExp(pattern).test(message.text)) {
      throw new PermanentError('Rejected by the Echo failSendsMatching setting', {
        code: 'fail_sends_matching',
      });
    }
    const client = await this.client(account.credentials.token);
    const attachments = await readAttachments(message);
    const fileIds = [];
    for (const attachment of attachments) {
      const fileId = await client.uploadFile(
        attachment.bytes,
        attachment.fileName,
        attachment.mimeType,
      );
      fileIds.push({ kind: attachment.kind, file_id: fileId });
    }
    const texts: EchoBody[] = bodyParts(message);
    const groups = groupsOf(fileIds, ECHO_LIMITS.maxAttachmentCount);
    const count = Math.max(texts.length, groups.length);
    if (count === 0) throw new PermanentError('The message has neither text nor attachments');
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const request: EchoSendRequest = {
        chat_id: message.conversation.externalId,
        ...texts[index],
        idempotency_key: `${message.idempotencyKey}#${index}`,
      };
      if (groups[index]) request.attachments = groups[index];
      if (index === 0 && message.inReplyToExternalId) {
        request.reply_to_message_id = message.inReplyToExternalId;
      }
      if (index === count - 1 && this.context.settings.autoReply) request.auto_reply = true;
      ids.push(await client.sendMessage(request));
    }
    return { externalMessageIds: ids };
  }

  async shutdown(): Promise<void> {
    const embedded = this.embedded;
    this.embedded = undefined;
    this.receiving.clear();
    await embedded?.server.stop();
  }

  /** The platform's base URL: `settings.platformUrl`, or an in-process platform started once. */
  platformUrl(): Promise<string> {
    if (this.context.settings.platformUrl)
      return Promise.resolve(this.context.settings.platformUrl);
    if (!this.embedded) {
      const server = new EchoPlatformServer({ autoCreateAccounts: true });
      const url = server.start(this.context.settings.embeddedPlatformPort ?? 0).then((started) => {
        this.context.logger.info('echo: in-process Echo platform started', { url: started });
        return started;
      });
      this.embedded = { server, url };
    }
    return this.embedded.url;
  }

  private async client(token: string | undefined): Promise<EchoApiClient> {
    if (!token) throw new InvalidCredentialsError('The Echo token is missing');
    return new EchoApiClient(await this.platformUrl(), token);
  }

  private async webhookSecret(account: AccountContext): Promise<string> {
    const existing = await this.storedSecret(account);
    if (existing) return existing;
    const secret = randomBytes(32).toString('hex');
    await account.state.set(SECRET_KEY, secret);
    return secret;
  }

  private async storedSecret(account: AccountContext): Promise<string | undefined> {
    const cached = this.secrets.get(account.accountId);
    if (cached !== undefined) return cached;
    const stored = await account.state.get<string>(SECRET_KEY);
    if (stored) this.secrets.set(account.accountId, stored);
    return stored;
  }
}

function parseUpdate(rawBody: Buffer): EchoUpdate | undefined {
  try {
    const value = JSON.parse(rawBody.toString('utf8')) as Partial<EchoUpdate> | null;
    const known = ['message', 'edited_message', 'read'];
    if (!value || typeof value.update_id !== 'number' || !known.includes(String(value.type))) {
      return undefined;
    }
    return value as EchoUpdate;
  } catch {
    return undefined;
  }
}

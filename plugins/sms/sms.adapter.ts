/**
 * The SMS adapter: one provider (Twilio) behind `SmsProvider`; receives through signed webhooks
 * (`<webhookUrl>/inbound`, `<webhookUrl>/status`), sends agents' replies as SMS.
 */
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
  type OutboundMessage,
  type PluginContext,
  type SendResult,
} from '../../src/core/adapter';
import { createSmsProvider } from './providers/create-provider';
import type { SmsProvider } from './providers/sms-provider';
import { SegmentRateLimiter } from './rate-limiter';
import { sendSms } from './sms-sender';
import { handleInboundWebhook, handleStatusWebhook, type WebhookOutcome } from './sms-webhooks';
import { smsManifest } from './sms.manifest';
import { mediaFileName } from './sms.mapper';
import {
  ACCOUNT_RATE_SETTING,
  accountMessagesPerSecond,
  DEFAULT_MESSAGES_PER_SECOND,
  type SmsSettings,
} from './sms.settings';

export class SmsAdapter implements ChannelAdapter {
  readonly manifest = smsManifest;
  /** Webhooks of one account are handled one at a time (status ranks, opt-out records). */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly limiter = new SegmentRateLimiter();
  private readonly provider: SmsProvider;

  constructor(
    private readonly context: PluginContext<SmsSettings>,
    provider?: SmsProvider,
  ) {
    this.provider = provider ?? createSmsProvider(context.settings);
  }

  async validateCredentials(credentials: Credentials): Promise<AccountIdentity> {
    const sender = await this.provider.validate(credentials);
    const from = (credentials.from ?? '').trim();
    const normalizedFrom = from.startsWith('MG') ? from : sender.phoneNumber;
    return {
      displayName: sender.displayName,
      deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: sender.phoneNumber },
      normalizedCredentials:
        normalizedFrom === credentials.from ? undefined : { ...credentials, from: normalizedFrom },
    };
  }

  async startReceiving(account: AccountContext): Promise<void> {
    const inboundUrl = `${account.webhookUrl}/inbound`;
    try {
      const how = await this.provider.configureInbound(account.credentials, inboundUrl);
      if (how === 'manual') {
        account.reportWarning(
          `Set the incoming message webhook of the Messaging Service to POST ${inboundUrl}`,
        );
      }
      account.logger.info('sms: receiving through webhook', { inboundUrl, configured: how });
    } catch (error) {
      if (error instanceof InvalidCredentialsError) throw error;
      account.logger.warn("sms: could not set the number's SMS URL", { error: String(error) });
      account.reportWarning(
        `Could not set the SMS webhook of the number: set it to POST ${inboundUrl}`,
      );
    }
  }

  async stopReceiving(_accountId: string): Promise<void> {
    // The number keeps its SMS URL. The gateway hands webhooks only of active accounts to the
    // adapter, in whichever of its processes they arrive (Twilio does not retry a refused one).
  }

  async handleWebhook(
    account: AccountContext,
    request: AdapterWebhookRequest,
  ): Promise<AdapterWebhookResponse> {
    if (!this.provider.verifySignature(account.credentials, request)) {
      return { status: 401, body: 'invalid signature', contentType: 'text/plain' };
    }
    if (request.method.toUpperCase() !== 'POST' && request.method.toUpperCase() !== 'GET') {
      return { status: 405 };
    }
    const outcome = await this.serialised(account.accountId, () => this.dispatch(account, request));
    if (outcome === 'not-found') return { status: 404 };
    if (outcome === 'malformed')
      return { status: 400, body: 'not a provider webhook', contentType: 'text/plain' };
    return this.provider.webhookAck();
  }

  async openAttachment(
    account: AccountContext,
    attachment: InboundBinaryAttachment,
  ): Promise<AttachmentStream> {
    const media = await this.provider.fetchMedia(account.credentials, attachment.ref);
    const mimeType = attachment.mimeType ?? media.mimeType ?? 'application/octet-stream';
    return {
      stream: media.stream,
      fileName: attachment.fileName ?? mediaFileName(attachment.ref, mimeType),
      mimeType,
      sizeBytes: media.sizeBytes ?? attachment.sizeBytes,
    };
  }

  send(account: AccountContext, message: OutboundMessage): Promise<SendResult> {
    // An account's own rate (its number is toll-free, a short code...) before the plugin's.
    const own = accountMessagesPerSecond(account.settings);
    if (own === undefined && account.settings[ACCOUNT_RATE_SETTING] !== undefined) {
      account.logger.warn('sms: invalid account setting ignored', {
        setting: ACCOUNT_RATE_SETTING,
        value: account.settings[ACCOUNT_RATE_SETTING],
      });
    }
    const messagesPerSecond =
      own ?? this.context.settings.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND;
    return sendSms(
      { provider: this.provider, limiter: this.limiter, messagesPerSecond },
      account,
      message,
    );
  }

  /** Nothing plugin-wide to release (no connections are kept). */
  async shutdown(): Promise<void> {}

  private dispatch(
    account: AccountContext,
    request: AdapterWebhookRequest,
  ): Promise<WebhookOutcome | 'not-found'> {
    switch (request.subPath) {
      case '/inbound':
        return handleInboundWebhook(this.provider, account, request);
      case '/status':
        return handleStatusWebhook(this.provider, account, request);
      default:
        return Promise.resolve('not-found');
    }
  }

  private serialised<T>(accountId: string, job: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(accountId) ?? Promise.resolve();
    const next = previous.then(job, job);
    const settled = next.catch(() => undefined);
    this.chains.set(accountId, settled);
    void settled.then(() => {
      if (this.chains.get(accountId) === settled) this.chains.delete(accountId);
    });
    return next;
  }
}

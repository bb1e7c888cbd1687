/**
 * The Matrix adapter. Bot mode: one ordinary Matrix account per channel account, receiving
 * through a /sync loop. Appservice mode: one application-service registration per channel
 * account, receiving pushed transactions. Both send through the client-server API as the bot.
 */
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
import { MatrixAppserviceAccounts } from './matrix-appservice-accounts';
import { validateMatrixCredentials, whoami } from './matrix-credentials';
import { toGatewayError } from './matrix-errors';
import { MatrixHttpClient } from './matrix-http';
import { downloadMedia } from './matrix-media';
import { sendMessage } from './matrix-outbound';
import { encryptedRoomKey } from './matrix-room-info';
import { MatrixSyncLoop } from './matrix-sync';
import { MATRIX_MAX_TEXT_LENGTH, matrixManifest } from './matrix.manifest';
import type { MatrixSettings } from './matrix.settings';

export class MatrixAdapter implements ChannelAdapter {
  readonly manifest = matrixManifest;
  private readonly loops = new Map<string, MatrixSyncLoop>();
  private readonly starting = new Map<string, Promise<void>>();

  private readonly appservices: MatrixAppserviceAccounts;
  /** Only in appservice mode: bot mode receives through /sync and has no webhook. */
  readonly handleWebhook?: (
    account: AccountContext,
    request: AdapterWebhookRequest,
  ) => Promise<AdapterWebhookResponse>;

  constructor(private readonly context: PluginContext<MatrixSettings>) {
    this.appservices = new MatrixAppserviceAccounts(
      { autoJoin: context.settings.autoJoin ?? true },
      clientFor,
    );
    if (context.settings.mode === 'appservice') {
      this.handleWebhook = (account, request) => this.appservices.handle(account, request);
    }
  }

  async validateCredentials(credentials: Credentials): Promise<AccountIdentity> {
    if (this.context.settings.mode === 'appservice') {
      // An as_token is checked like a user token: whoami answers the sender_localpart user.
      if (!credentials.accessToken?.trim()) {
        throw new InvalidCredentialsError(
          'Appservice mode: enter the as_token of the registration as the access token',
        );
      }
      if (!credentials.hsToken?.trim()) {
        throw new InvalidCredentialsError('Appservice mode needs the hs_token of the registration');
      }
    }
    return validateMatrixCredentials(credentials);
  }

  async startReceiving(account: AccountContext): Promise<void> {
    const pending = this.starting.get(account.accountId);
    if (pending) return pending;
    if (this.loops.has(account.accountId) || this.appservices.has(account.accountId)) return;
    const start = this.start(account).finally(() => this.starting.delete(account.accountId));
    this.starting.set(account.accountId, start);
    return start;
  }

  private async start(account: AccountContext): Promise<void> {
    const client = clientFor(account);
    let userId: string;
    try {
      userId = await whoami(client);
    } catch (error) {
      throw toGatewayError(error, 'start receiving');
    }
    if (this.context.settings.mode === 'appservice') {
      if (!account.credentials.hsToken) {
        throw new PermanentError('Appservice mode needs the hs_token of the registration');
      }
      await this.appservices.start(account, client, userId);
      // The registration's `url` must be this URL (`matrix:registration --account`).
      account.logger.info('matrix: receiving appservice transactions', {
        userId,
        url: account.webhookUrl,
      });
      return;
    }
    const loop = new MatrixSyncLoop(account, client, userId, {
      timeoutMs: this.context.settings.syncTimeoutMs ?? 30_000,
      retryDelayMs: this.context.settings.syncRetryDelayMs ?? 1000,
      autoJoin: this.context.settings.autoJoin ?? true,
    });
    await loop.start();
    this.loops.set(account.accountId, loop);
    account.logger.info('matrix: receiving through /sync', { userId });
  }

  async stopReceiving(accountId: string, options?: StopReceivingOptions): Promise<void> {
    await this.starting.get(accountId)?.catch(() => undefined);
    await this.appservices.stop(accountId, options?.handover ?? false);
    const loop = this.loops.get(accountId);
    this.loops.delete(accountId);
    await loop?.stop();
  }

  openAttachment(
    account: AccountContext,
    attachment: InboundBinaryAttachment,
  ): Promise<AttachmentStream> {
    return downloadMedia(clientFor(account), attachment.ref, {
      fileName: attachment.fileName,
      mimeType: attachment.mimeType,
    });
  }

  async send(account: AccountContext, message: OutboundMessage): Promise<SendResult> {
    if (await account.state.get<boolean>(encryptedRoomKey(message.conversation.externalId))) {
      throw new PermanentError(
        'This Matrix room is end-to-end encrypted; the gateway cannot send to encrypted rooms yet',
        { code: 'E2EE_UNSUPPORTED' },
      );
    }
    const ids = await sendMessage(clientFor(account), message, MATRIX_MAX_TEXT_LENGTH);
    return { externalMessageIds: ids };
  }

  async shutdown(): Promise<void> {
    await this.appservices.shutdown();
    const ids = [...this.loops.keys()];
    await Promise.all(ids.map((id) => this.stopReceiving(id)));
  }
}

function clientFor(account: AccountContext): MatrixHttpClient {
  const { homeserverUrl, accessToken } = account.credentials;
  if (!homeserverUrl || !accessToken) {
    throw new PermanentError('The Matrix account has no homeserver URL or access token');
  }
  return new MatrixHttpClient(homeserverUrl, accessToken);
}

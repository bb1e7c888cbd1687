/**
 * The Echo bot API: what an account's token may do (who am I, webhook, files, send), with the
 * platform's limits and the faults tests inject.
 */
import { codePointLength, visibleText } from './echo-markup';
import type { EchoCustomers } from './echo-platform-customers';
import type { EchoWebhook } from './echo-platform-delivery';
import { EchoPlatformError, badRequest, notFound } from './echo-platform-error';
import type { EchoPlatformState, PlatformAccount, StoredFile } from './echo-platform-state';
import {
  ECHO_LIMITS,
  type EchoAccountInfo,
  type EchoMessage,
  type EchoSendRequest,
} from './echo-platform.types';

export class EchoBotApi {
  constructor(
    private readonly state: EchoPlatformState,
    private readonly customers: EchoCustomers,
  ) {}

  me(token: string): EchoAccountInfo {
    return { ...this.state.authenticate(token).info };
  }

  /** Registers the webhook and starts delivering pending updates in the background. */
  setWebhook(token: string, webhook: EchoWebhook): void {
    if (!/^https?:\/\//.test(webhook.url)) throw badRequest('webhook url must be http(s)');
    if (!webhook.secret) throw badRequest('webhook secret is required');
    const account = this.state.authenticate(token);
    account.webhook = { ...webhook };
    void account.queue.flush(account.webhook);
  }

  deleteWebhook(token: string): void {
    this.state.authenticate(token).webhook = undefined;
  }

  webhookInfo(token: string): { url?: string; pending_update_count: number } {
    const account = this.state.authenticate(token);
    return { url: account.webhook?.url, pending_update_count: account.queue.pending.length };
  }

  uploadFile(
    token: string,
    bytes: Buffer,
    fileName: string,
    mimeType: string,
  ): { file_id: string; size: number } {
    const account = this.state.authenticate(token);
    if (bytes.length > ECHO_LIMITS.maxFileSizeBytes) {
      const limit = ECHO_LIMITS.maxFileSizeBytes;
      throw new EchoPlatformError(413, 'too_large', `file larger than ${limit} bytes`);
    }
    const fileId = this.state.storeFile(account.info.id, bytes, fileName, mimeType);
    return { file_id: fileId, size: bytes.length };
  }

  downloadFile(token: string, fileId: string): StoredFile {
    const account = this.state.authenticate(token);
    const file = this.state.files.get(fileId);
    if (!file || file.accountId !== account.info.id) {
      throw notFound('file_not_found', 'file not found');
    }
    return file;
  }

  sendMessage(token: string, request: EchoSendRequest): { message_id: string } {
    const account = this.state.authenticate(token);
    const known = request.idempotency_key && account.idempotency.get(request.idempotency_key);
    if (known) return { message_id: known };
    consumeFault(account);
    const chat = account.chats.get(request.chat_id);
    if (!chat) throw notFound('chat_not_found', `chat ${request.chat_id} not found`);
    const text = request.html !== undefined ? visibleText(request.html) : (request.text ?? '');
    const attachments = (request.attachments ?? []).map((a) =>
      this.state.fileAttachment(account, a.kind, a.file_id),
    );
    if (text.trim() === '' && attachments.length === 0) throw badRequest('message is empty');
    if (codePointLength(text) > ECHO_LIMITS.maxTextLength) {
      throw badRequest(`text longer than ${ECHO_LIMITS.maxTextLength} characters`);
    }
    if (attachments.length > ECHO_LIMITS.maxAttachmentCount) {
      throw badRequest('too many attachments');
    }
    if (request.reply_to_message_id) {
      this.state.messageInChat(account, chat, request.reply_to_message_id);
    }
    const message: EchoMessage = {
      message_id: this.state.nextId('msg'),
      chat,
      from: { id: account.info.id, name: account.info.name, username: account.info.username },
      text,
      attachments,
      date: new Date().toISOString(),
    };
    if (request.html !== undefined) message.html = request.html;
    if (request.reply_to_message_id) message.reply_to_message_id = request.reply_to_message_id;
    this.state.storeMessage(account, message, true);
    if (request.idempotency_key) {
      account.idempotency.set(request.idempotency_key, message.message_id);
    }
    if (request.auto_reply) this.customers.answerSoon(account, message);
    return { message_id: message.message_id };
  }
}

function consumeFault(account: PlatformAccount): void {
  const fault = account.faults.shift();
  if (!fault) return;
  if (fault.type === 'rate_limited') {
    const seconds = fault.retry_after_seconds;
    const description = `too many requests, retry after ${seconds} s`;
    throw new EchoPlatformError(429, 'rate_limited', description, seconds);
  }
  if (fault.type === 'recipient_blocked') {
    const description = fault.description ?? 'the recipient blocked this account';
    throw new EchoPlatformError(403, 'recipient_blocked', description);
  }
  throw new EchoPlatformError(500, 'server_error', 'internal server error');
}

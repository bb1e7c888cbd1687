/**
 * The Echo platform: an in-memory messenger with bot accounts, customers, conversations,
 * messages, files, read receipts and injectable faults. `EchoPlatformServer` puts it on HTTP;
 * tests may also drive it in-process.
 */
import { randomBytes } from 'node:crypto';
import type { BinaryAttachmentKind } from '../../src/core/adapter';
import { codePointLength, visibleText } from './echo-markup';
import { EchoUpdateQueue, type EchoWebhook } from './echo-platform-delivery';
import { EchoPlatformError, badRequest, notFound } from './echo-platform-error';
import {
  ECHO_LIMITS,
  ECHO_TOKEN_PATTERN,
  type EchoAccountInfo,
  type EchoAttachment,
  type EchoChat,
  type EchoContactAttachment,
  type EchoFault,
  type EchoFileAttachment,
  type EchoLocationAttachment,
  type EchoMessage,
  type EchoSendRequest,
  type EchoUpdate,
  type EchoUser,
} from './echo-platform.types';

export type EchoUploadAttachment = {
  kind: BinaryAttachmentKind;
  file_name: string;
  mime_type: string;
  data_base64: string;
  emoji?: string;
};

/** What a simulated customer sends (the control API's body). */
export interface CustomerMessageInput {
  /** Defaults to the private chat of the customer. */
  chat_id?: string;
  customer?: Partial<EchoUser>;
  text?: string;
  /** Echo markup; the plain text is derived from it when `text` is absent. */
  html?: string;
  attachments?: (EchoUploadAttachment | EchoLocationAttachment | EchoContactAttachment)[];
  reply_to_message_id?: string;
}

export interface CustomerEventResult {
  update: EchoUpdate;
  message_id?: string;
  chat_id: string;
  /** The webhook acknowledged the update (false: no webhook, or it failed; it stays pending). */
  delivered: boolean;
}

export interface SentMessageView extends Omit<EchoMessage, 'attachments' | 'from'> {
  attachments: (EchoFileAttachment & { data_base64: string })[];
  read: boolean;
}

interface StoredFile {
  accountId: string;
  bytes: Buffer;
  fileName: string;
  mimeType: string;
}

interface StoredMessage {
  accountId: string;
  outbound: boolean;
  message: EchoMessage;
  read: boolean;
}

interface Account {
  info: EchoAccountInfo;
  token: string;
  webhook?: EchoWebhook;
  faults: EchoFault[];
  chats: Map<string, EchoChat>;
  idempotency: Map<string, string>;
  queue: EchoUpdateQueue;
}

export interface EchoPlatformOptions {
  /** Create an account for any unknown token of the form `echo_<8+ letters/digits>` (demos). */
  autoCreateAccounts?: boolean;
}

export class EchoPlatform {
  private readonly accounts = new Map<string, Account>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly files = new Map<string, StoredFile>();
  private sequence = 0;

  constructor(private readonly options: EchoPlatformOptions = {}) {}

  createAccount(
    input: { name?: string; token?: string } = {},
  ): EchoAccountInfo & { token: string } {
    const suffix = randomBytes(4).toString('hex');
    const token = input.token ?? `echo_${randomBytes(12).toString('hex')}`;
    if (!new RegExp(ECHO_TOKEN_PATTERN).test(token)) throw badRequest('malformed token');
    if (this.findByToken(token)) throw badRequest('token already in use');
    const info = {
      id: `bot-${suffix}`,
      name: input.name ?? `Echo Bot ${suffix}`,
      username: `echo_${suffix}_bot`,
    };
    this.accounts.set(info.id, {
      info,
      token,
      faults: [],
      chats: new Map(),
      idempotency: new Map(),
      queue: new EchoUpdateQueue(),
    });
    return { ...info, token };
  }

  /** Removes an account; its token is rejected from now on. */
  revokeAccount(accountId: string): void {
    this.account(accountId);
    this.accounts.delete(accountId);
  }

  // ---- bot API (authenticated by token) ----

  me(token: string): EchoAccountInfo {
    return { ...this.authenticate(token).info };
  }

  /** Registers the webhook and starts delivering pending updates in the background. */
  setWebhook(token: string, webhook: EchoWebhook): void {
    if (!/^https?:\/\//.test(webhook.url)) throw badRequest('webhook url must be http(s)');
    if (!webhook.secret) throw badRequest('webhook secret is required');
    const account = this.authenticate(token);
    account.webhook = { ...webhook };
    void account.queue.flush(account.webhook);
  }

  deleteWebhook(token: string): void {
    this.authenticate(token).webhook = undefined;
  }

  webhookInfo(token: string): { url?: string; pending_update_count: number } {
    const account = this.authenticate(token);
    return { url: account.webhook?.url, pending_update_count: account.queue.pending.length };
  }

  uploadFile(
    token: string,
    bytes: Buffer,
    fileName: string,
    mimeType: string,
  ): { file_id: string; size: number } {
    const account = this.authenticate(token);
    if (bytes.length > ECHO_LIMITS.maxFileSizeBytes) {
      throw new EchoPlatformError(
        413,
        'too_large',
        `file larger than ${ECHO_LIMITS.maxFileSizeBytes} bytes`,
      );
    }
    return {
      file_id: this.storeFile(account.info.id, bytes, fileName, mimeType),
      size: bytes.length,
    };
  }

  downloadFile(token: string, fileId: string): StoredFile {
    const account = this.authenticate(token);
    const file = this.files.get(fileId);
    if (!file || file.accountId !== account.info.id)
      throw notFound('file_not_found', 'file not found');
    return file;
  }

  sendMessage(token: string, request: EchoSendRequest): { message_id: string } {
    const account = this.authenticate(token);
    const known = request.idempotency_key && account.idempotency.get(request.idempotency_key);
    if (known) return { message_id: known };
    this.consumeFault(account);
    const chat = account.chats.get(request.chat_id);
    if (!chat) throw notFound('chat_not_found', `chat ${request.chat_id} not found`);
    const text = request.html !== undefined ? visibleText(request.html) : (request.text ?? '');
    const attachments = (request.attachments ?? []).map((a) =>
      this.fileAttachment(account, a.kind, a.file_id),
    );
    if (text.trim() === '' && attachments.length === 0) throw badRequest('message is empty');
    if (codePointLength(text) > ECHO_LIMITS.maxTextLength) {
      throw badRequest(`text longer than ${ECHO_LIMITS.maxTextLength} characters`);
    }
    if (attachments.length > ECHO_LIMITS.maxAttachmentCount)
      throw badRequest('too many attachments');
    if (request.reply_to_message_id) this.messageInChat(account, chat, request.reply_to_message_id);
    const message: EchoMessage = {
      message_id: this.nextId('msg'),
      chat,
      from: { id: account.info.id, name: account.info.name, username: account.info.username },
      text,
      attachments,
      date: new Date().toISOString(),
    };
    if (request.html !== undefined) message.html = request.html;
    if (request.reply_to_message_id) message.reply_to_message_id = request.reply_to_message_id;
    this.messages.set(message.message_id, {
      accountId: account.info.id,
      outbound: true,
      message,
      read: false,
    });
    if (request.idempotency_key)
      account.idempotency.set(request.idempotency_key, message.message_id);
    if (request.auto_reply) this.scheduleAutoReply(account, message);
    return { message_id: message.message_id };
  }

  // ---- control API: what customers do ----

  customerSends(accountId: string, input: CustomerMessageInput): Promise<CustomerEventResult> {
    const account = this.account(accountId);
    const customer: EchoUser = {
      id: input.customer?.id ?? 'customer-1',
      name: input.customer?.name ?? 'Echo Customer',
      username: input.customer?.username,
    };
    const chat = this.chatFor(account, input.chat_id ?? `chat-${customer.id}`);
    const attachments = (input.attachments ?? []).map((a) => this.customerAttachment(account, a));
    const html = input.html;
    const text = input.text ?? (html !== undefined ? visibleText(html) : '');
    if (text.trim() === '' && attachments.length === 0) throw badRequest('message is empty');
    if (input.reply_to_message_id) this.messageInChat(account, chat, input.reply_to_message_id);
    const message: EchoMessage = {
      message_id: this.nextId('msg'),
      chat,
      from: customer.username ? customer : { id: customer.id, name: customer.name },
      text,
      attachments,
      date: new Date().toISOString(),
    };
    if (html !== undefined) message.html = html;
    if (input.reply_to_message_id) message.reply_to_message_id = input.reply_to_message_id;
    this.messages.set(message.message_id, { accountId, outbound: false, message, read: false });
    return this.publish(account, { type: 'message', message }, message.message_id);
  }

  customerEdits(
    accountId: string,
    input: { message_id: string; text?: string; html?: string },
  ): Promise<CustomerEventResult> {
    const account = this.account(accountId);
    const stored = this.messages.get(input.message_id);
    if (!stored || stored.accountId !== accountId || stored.outbound) {
      throw notFound('message_not_found', 'customer message not found');
    }
    const message: EchoMessage = { ...stored.message, edit_date: new Date().toISOString() };
    message.text =
      input.text ?? (input.html !== undefined ? visibleText(input.html) : message.text);
    if (input.html !== undefined) message.html = input.html;
    else delete message.html;
    stored.message = message;
    return this.publish(account, { type: 'edited_message', message }, message.message_id);
  }

  /** The customer reads the business messages of a chat up to and including one. */
  customerReads(
    accountId: string,
    input: { chat_id: string; up_to_message_id: string },
  ): Promise<CustomerEventResult> {
    const account = this.account(accountId);
    const chat = account.chats.get(input.chat_id);
    if (!chat) throw notFound('chat_not_found', `chat ${input.chat_id} not found`);
    const target = this.messageInChat(account, chat, input.up_to_message_id);
    const newlyRead = [...this.messages.values()].filter(
      (m) =>
        m.accountId === accountId &&
        m.outbound &&
        !m.read &&
        m.message.chat.id === chat.id &&
        sequenceOf(m.message) <= sequenceOf(target.message),
    );
    if (newlyRead.length === 0) throw badRequest('nothing new to mark as read');
    for (const stored of newlyRead) stored.read = true;
    const read = {
      chat,
      message_ids: newlyRead.map((m) => m.message.message_id),
      date: new Date().toISOString(),
    };
    return this.publish(account, { type: 'read', read });
  }

  // ---- control API: tests' levers and views ----

  injectFault(accountId: string, fault: EchoFault): void {
    this.account(accountId).faults.push(fault);
  }

  redeliverLast(accountId: string): Promise<boolean> {
    const account = this.account(accountId);
    return account.queue.redeliverLast(account.webhook);
  }

  flush(accountId: string): Promise<boolean> {
    const account = this.account(accountId);
    return account.queue.flush(account.webhook);
  }

  sentMessages(accountId: string): SentMessageView[] {
    this.account(accountId);
    return [...this.messages.values()]
      .filter((m) => m.accountId === accountId && m.outbound)
      .map(({ message, read }) => {
        const { from: _from, ...rest } = message;
        return {
          ...rest,
          read,
          attachments: message.attachments.filter(isFile).map((a) => ({
            ...a,
            data_base64: this.files.get(a.file_id)?.bytes.toString('base64') ?? '',
          })),
        };
      });
  }

  deliveries(accountId: string): { pending: EchoUpdate[]; log: EchoUpdateQueue['log'] } {
    const { queue } = this.account(accountId);
    return { pending: [...queue.pending], log: [...queue.log] };
  }

  file(fileId: string): StoredFile {
    const file = this.files.get(fileId);
    if (!file) throw notFound('file_not_found', 'file not found');
    return file;
  }

  // ---- internals ----

  private authenticate(token: string): Account {
    const found = this.findByToken(token);
    if (found) return found;
    if (this.options.autoCreateAccounts && new RegExp(ECHO_TOKEN_PATTERN).test(token)) {
      return this.account(this.createAccount({ token }).id);
    }
    throw new EchoPlatformError(401, 'invalid_token', 'the token is not valid');
  }

  private findByToken(token: string): Account | undefined {
    return [...this.accounts.values()].find((account) => account.token === token);
  }

  private account(accountId: string): Account {
    const account = this.accounts.get(accountId);
    if (!account) throw notFound('account_not_found', `account ${accountId} not found`);
    return account;
  }

  private chatFor(account: Account, chatId: string): EchoChat {
    let chat = account.chats.get(chatId);
    if (!chat) {
      chat = { id: chatId, type: 'private' };
      account.chats.set(chatId, chat);
    }
    return chat;
  }

  private messageInChat(account: Account, chat: EchoChat, messageId: string): StoredMessage {
    const stored = this.messages.get(messageId);
    if (!stored || stored.accountId !== account.info.id || stored.message.chat.id !== chat.id) {
      throw badRequest(`message ${messageId} not found in chat ${chat.id}`);
    }
    return stored;
  }

  private consumeFault(account: Account): void {
    const fault = account.faults.shift();
    if (!fault) return;
    if (fault.type === 'rate_limited') {
      throw new EchoPlatformError(
        429,
        'rate_limited',
        `too many requests, retry after ${fault.retry_after_seconds} s`,
        fault.retry_after_seconds,
      );
    }
    if (fault.type === 'recipient_blocked') {
      throw new EchoPlatformError(
        403,
        'recipient_blocked',
        fault.description ?? 'the recipient blocked this account',
      );
    }
    throw new EchoPlatformError(500, 'server_error', 'internal server error');
  }

  private fileAttachment(
    account: Account,
    kind: BinaryAttachmentKind,
    fileId: string,
  ): EchoFileAttachment {
    const file = this.files.get(fileId);
    if (!file || file.accountId !== account.info.id) throw badRequest(`file ${fileId} not found`);
    return {
      kind,
      file_id: fileId,
      file_name: file.fileName,
      mime_type: file.mimeType,
      size: file.bytes.length,
    };
  }

  private customerAttachment(
    account: Account,
    input: NonNullable<CustomerMessageInput['attachments']>[number],
  ): EchoAttachment {
    if (input.kind === 'location' || input.kind === 'contact') return { ...input };
    const bytes = Buffer.from(input.data_base64, 'base64');
    const fileId = this.storeFile(account.info.id, bytes, input.file_name, input.mime_type);
    const attachment = this.fileAttachment(account, input.kind, fileId);
    return input.emoji ? { ...attachment, emoji: input.emoji } : attachment;
  }

  private storeFile(accountId: string, bytes: Buffer, fileName: string, mimeType: string): string {
    const fileId = this.nextId('file') + '-' + randomBytes(6).toString('hex');
    this.files.set(fileId, { accountId, bytes: Buffer.from(bytes), fileName, mimeType });
    return fileId;
  }

  private async publish(
    account: Account,
    body: DistributiveOmit<EchoUpdate, 'update_id' | 'account_id'>,
    messageId?: string,
  ): Promise<CustomerEventResult> {
    const update = {
      ...body,
      update_id: ++this.sequence,
      account_id: account.info.id,
    } as EchoUpdate;
    const chatId = update.type === 'read' ? update.read.chat.id : update.message.chat.id;
    const delivered = await account.queue.push(update, account.webhook);
    return { update, message_id: messageId, chat_id: chatId, delivered };
  }

  private scheduleAutoReply(account: Account, message: EchoMessage): void {
    const customerId = message.chat.id.replace(/^chat-/, '');
    setImmediate(() => {
      if (!this.accounts.has(account.info.id)) return;
      this.customerSends(account.info.id, {
        chat_id: message.chat.id,
        customer: { id: customerId },
        text: `Echo: ${message.text || '(attachment)'}`,
        reply_to_message_id: message.message_id,
      }).catch(() => undefined);
    });
  }

  private nextId(prefix: string): string {
    return `${prefix}-${++this.sequence}`;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function isFile(attachment: EchoAttachment): attachment is EchoFileAttachment {
  return attachment.kind !== 'location' && attachment.kind !== 'contact';
}

function sequenceOf(message: EchoMessage): number {
  return Number(message.message_id.replace(/^msg-/, ''));
}

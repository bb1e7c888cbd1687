/**
 * What the Echo platform remembers: accounts (with their chats, webhook, faults and update queue),
 * messages and files, plus the lookups and rules the bot API and the customers share.
 */
import { randomBytes } from 'node:crypto';
import type { BinaryAttachmentKind } from '../../src/core/adapter';
import { EchoUpdateQueue, type EchoWebhook } from './echo-platform-delivery';
import { EchoPlatformError, badRequest, notFound } from './echo-platform-error';
import {
  ECHO_TOKEN_PATTERN,
  type EchoAccountInfo,
  type EchoChat,
  type EchoFault,
  type EchoFileAttachment,
  type EchoMessage,
  type EchoUpdate,
} from './echo-platform.types';

export interface StoredFile {
  accountId: string;
  bytes: Buffer;
  fileName: string;
  mimeType: string;
}

export interface StoredMessage {
  accountId: string;
  /** Sent by the business (through the bot API), as opposed to by a customer. */
  outbound: boolean;
  message: EchoMessage;
  read: boolean;
}

export interface PlatformAccount {
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

/** The result of publishing an update to an account's webhook queue. */
export interface PublishedUpdate {
  update: EchoUpdate;
  message_id?: string;
  chat_id: string;
  /** The webhook acknowledged the update (false: no webhook, or it failed; it stays pending). */
  delivered: boolean;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type UpdateBody = DistributiveOmit<EchoUpdate, 'update_id' | 'account_id'>;

export class EchoPlatformState {
  readonly accounts = new Map<string, PlatformAccount>();
  readonly messages = new Map<string, StoredMessage>();
  readonly files = new Map<string, StoredFile>();
  private sequence = 0;

  constructor(private readonly options: EchoPlatformOptions = {}) {}

  createAccount(input: { name?: string; token?: string } = {}): PlatformAccount {
    const suffix = randomBytes(4).toString('hex');
    const token = input.token ?? `echo_${randomBytes(12).toString('hex')}`;
    if (!new RegExp(ECHO_TOKEN_PATTERN).test(token)) throw badRequest('malformed token');
    if (this.findByToken(token)) throw badRequest('token already in use');
    const account: PlatformAccount = {
      info: {
        id: `bot-${suffix}`,
        name: input.name ?? `Echo Bot ${suffix}`,
        username: `echo_${suffix}_bot`,
      },
      token,
      faults: [],
      chats: new Map(),
      idempotency: new Map(),
      queue: new EchoUpdateQueue(),
    };
    this.accounts.set(account.info.id, account);
    return account;
  }

  /** The account of a bot token (401 otherwise; created on the fly with autoCreateAccounts). */
  authenticate(token: string): PlatformAccount {
    const found = this.findByToken(token);
    if (found) return found;
    if (this.options.autoCreateAccounts && new RegExp(ECHO_TOKEN_PATTERN).test(token)) {
      return this.createAccount({ token });
    }
    throw new EchoPlatformError(401, 'invalid_token', 'the token is not valid');
  }

  account(accountId: string): PlatformAccount {
    const account = this.accounts.get(accountId);
    if (!account) throw notFound('account_not_found', `account ${accountId} not found`);
    return account;
  }

  chatFor(account: PlatformAccount, chatId: string): EchoChat {
    let chat = account.chats.get(chatId);
    if (!chat) {
      chat = { id: chatId, type: 'private' };
      account.chats.set(chatId, chat);
    }
    return chat;
  }

  messageInChat(account: PlatformAccount, chat: EchoChat, messageId: string): StoredMessage {
    const stored = this.messages.get(messageId);
    if (!stored || stored.accountId !== account.info.id || stored.message.chat.id !== chat.id) {
      throw badRequest(`message ${messageId} not found in chat ${chat.id}`);
    }
    return stored;
  }

  storeMessage(account: PlatformAccount, message: EchoMessage, outbound: boolean): void {
    this.messages.set(message.message_id, {
      accountId: account.info.id,
      outbound,
      message,
      read: false,
    });
  }

  storeFile(accountId: string, bytes: Buffer, fileName: string, mimeType: string): string {
    const fileId = `${this.nextId('file')}-${randomBytes(6).toString('hex')}`;
    this.files.set(fileId, { accountId, bytes: Buffer.from(bytes), fileName, mimeType });
    return fileId;
  }

  fileAttachment(
    account: PlatformAccount,
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

  /** Numbers the update, queues it for the webhook and waits for the delivery attempt. */
  async publish(
    account: PlatformAccount,
    body: UpdateBody,
    messageId?: string,
  ): Promise<PublishedUpdate> {
    const update = {
      ...body,
      update_id: ++this.sequence,
      account_id: account.info.id,
    } as EchoUpdate;
    const chatId = update.type === 'read' ? update.read.chat.id : update.message.chat.id;
    const delivered = await account.queue.push(update, account.webhook);
    return { update, message_id: messageId, chat_id: chatId, delivered };
  }

  /** Ids like `msg-12`: one sequence for everything, so message ids sort by creation. */
  nextId(prefix: string): string {
    return `${prefix}-${++this.sequence}`;
  }

  private findByToken(token: string): PlatformAccount | undefined {
    return [...this.accounts.values()].find((account) => account.token === token);
  }
}

/** Creation order of two platform message ids. */
export function sequenceOf(messageId: string): number {
  return Number(messageId.replace(/^msg-/, ''));
}

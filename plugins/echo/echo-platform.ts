/**
 * The Echo platform: an in-memory messenger with bot accounts, customers, conversations,
 * messages, files, read receipts and injectable faults. `EchoPlatformServer` puts it on HTTP;
 * tests may also drive it in-process through this facade.
 */
import { EchoBotApi } from './echo-platform-bot-api';
import { EchoCustomers, type CustomerMessageInput } from './echo-platform-customers';
import type { EchoUpdateQueue, EchoWebhook } from './echo-platform-delivery';
import { notFound } from './echo-platform-error';
import {
  EchoPlatformState,
  type EchoPlatformOptions,
  type PublishedUpdate,
  type StoredFile,
} from './echo-platform-state';
import type {
  EchoAccountInfo,
  EchoAttachment,
  EchoFault,
  EchoFileAttachment,
  EchoMessage,
  EchoSendRequest,
  EchoUpdate,
} from './echo-platform.types';

export type { CustomerMessageInput, EchoUploadAttachment } from './echo-platform-customers';
export type { EchoPlatformOptions } from './echo-platform-state';
export type CustomerEventResult = PublishedUpdate;

/** A message the business sent, as the control API shows it (with the files' bytes). */
export interface SentMessageView extends Omit<EchoMessage, 'attachments' | 'from'> {
  attachments: (EchoFileAttachment & { data_base64: string })[];
  read: boolean;
}

export class EchoPlatform {
  private readonly state: EchoPlatformState;
  private readonly customers: EchoCustomers;
  private readonly bot: EchoBotApi;

  constructor(options: EchoPlatformOptions = {}) {
    this.state = new EchoPlatformState(options);
    this.customers = new EchoCustomers(this.state);
    this.bot = new EchoBotApi(this.state, this.customers);
  }

  // ---- accounts ----

  createAccount(
    input: { name?: string; token?: string } = {},
  ): EchoAccountInfo & { token: string } {
    const account = this.state.createAccount(input);
    return { ...account.info, token: account.token };
  }

  /** Removes an account; its token is rejected from now on. */
  revokeAccount(accountId: string): void {
    this.state.account(accountId);
    this.state.accounts.delete(accountId);
  }

  // ---- bot API (authenticated by token) ----

  me(token: string): EchoAccountInfo {
    return this.bot.me(token);
  }

  setWebhook(token: string, webhook: EchoWebhook): void {
    this.bot.setWebhook(token, webhook);
  }

  deleteWebhook(token: string): void {
    this.bot.deleteWebhook(token);
  }

  webhookInfo(token: string): { url?: string; pending_update_count: number } {
    return this.bot.webhookInfo(token);
  }

  uploadFile(token: string, bytes: Buffer, fileName: string, mimeType: string) {
    return this.bot.uploadFile(token, bytes, fileName, mimeType);
  }

  downloadFile(token: string, fileId: string): StoredFile {
    return this.bot.downloadFile(token, fileId);
  }

  sendMessage(token: string, request: EchoSendRequest): { message_id: string } {
    return this.bot.sendMessage(token, request);
  }

  // ---- control API: what customers do ----

  customerSends(accountId: string, input: CustomerMessageInput): Promise<CustomerEventResult> {
    return this.customers.sends(accountId, input);
  }

  customerEdits(
    accountId: string,
    input: { message_id: string; text?: string; html?: string },
  ): Promise<CustomerEventResult> {
    return this.customers.edits(accountId, input);
  }

  customerReads(
    accountId: string,
    input: { chat_id: string; up_to_message_id: string },
  ): Promise<CustomerEventResult> {
    return this.customers.reads(accountId, input);
  }

  // ---- control API: tests' levers and views ----

  /** The next `sendMessage` of the account fails this way (faults queue up). */
  injectFault(accountId: string, fault: EchoFault): void {
    this.state.account(accountId).faults.push(fault);
  }

  /** Posts the last delivered update again; resolves whether the webhook took it. */
  redeliverLast(accountId: string): Promise<boolean> {
    const account = this.state.account(accountId);
    return account.queue.redeliverLast(account.webhook);
  }

  /** Retries pending updates; resolves whether none is left. */
  flush(accountId: string): Promise<boolean> {
    const account = this.state.account(accountId);
    return account.queue.flush(account.webhook);
  }

  sentMessages(accountId: string): SentMessageView[] {
    this.state.account(accountId);
    return [...this.state.messages.values()]
      .filter((m) => m.accountId === accountId && m.outbound)
      .map(({ message, read }) => {
        const { from: _from, ...rest } = message;
        const files = message.attachments.filter(isFile).map((a) => ({
          ...a,
          data_base64: this.state.files.get(a.file_id)?.bytes.toString('base64') ?? '',
        }));
        return { ...rest, read, attachments: files };
      });
  }

  deliveries(accountId: string): { pending: EchoUpdate[]; log: EchoUpdateQueue['log'] } {
    const { queue } = this.state.account(accountId);
    return { pending: [...queue.pending], log: [...queue.log] };
  }

  file(fileId: string): StoredFile {
    const file = this.state.files.get(fileId);
    if (!file) throw notFound('file_not_found', 'file not found');
    return file;
  }
}

function isFile(attachment: EchoAttachment): attachment is EchoFileAttachment {
  return attachment.kind !== 'location' && attachment.kind !== 'contact';
}

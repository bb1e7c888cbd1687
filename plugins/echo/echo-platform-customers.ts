/**
 * What simulated customers do on the Echo platform: write (text, markup, attachments, replies),
 * edit their messages and read the business's messages. Each action becomes a webhook update.
 */
import type { BinaryAttachmentKind } from '../../src/core/adapter';
import { EchoCustomerProfiles } from './echo-customer-profiles';
import { visibleText } from './echo-markup';
import { badRequest, notFound } from './echo-platform-error';
import type { EchoPlatformState, PlatformAccount, PublishedUpdate } from './echo-platform-state';
import { sequenceOf } from './echo-platform-state';
import type {
  EchoAttachment,
  EchoContactAttachment,
  EchoLocationAttachment,
  EchoMessage,
  EchoUser,
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
  /** Defaults to the private chat of the customer, `chat-<customer id>`. */
  chat_id?: string;
  /** Defaults to `customer-1`; fields left out keep what the platform knows of that customer. */
  customer?: Partial<EchoUser>;
  text?: string;
  /** Echo markup; the plain text is derived from it when `text` is absent. */
  html?: string;
  attachments?: (EchoUploadAttachment | EchoLocationAttachment | EchoContactAttachment)[];
  reply_to_message_id?: string;
}

export class EchoCustomers {
  private readonly profiles = new EchoCustomerProfiles();

  constructor(private readonly state: EchoPlatformState) {}

  sends(accountId: string, input: CustomerMessageInput): Promise<PublishedUpdate> {
    const account = this.state.account(accountId);
    const customer = this.profiles.resolve(account.info.id, input.customer);
    const chat = this.state.chatFor(account, input.chat_id ?? `chat-${customer.id}`);
    const attachments = (input.attachments ?? []).map((a) => this.attachment(account, a));
    const text = input.text ?? (input.html !== undefined ? visibleText(input.html) : '');
    if (text.trim() === '' && attachments.length === 0) throw badRequest('message is empty');
    if (input.reply_to_message_id) {
      this.state.messageInChat(account, chat, input.reply_to_message_id);
    }
    const message: EchoMessage = {
      message_id: this.state.nextId('msg'),
      chat,
      from: customer,
      text,
      attachments,
      date: new Date().toISOString(),
    };
    if (input.html !== undefined) message.html = input.html;
    if (input.reply_to_message_id) message.reply_to_message_id = input.reply_to_message_id;
    this.state.storeMessage(account, message, false);
    return this.state.publish(account, { type: 'message', message }, message.message_id);
  }

  edits(
    accountId: string,
    input: { message_id: string; text?: string; html?: string },
  ): Promise<PublishedUpdate> {
    const account = this.state.account(accountId);
    const stored = this.state.messages.get(input.message_id);
    if (!stored || stored.accountId !== accountId || stored.outbound) {
      throw notFound('message_not_found', 'customer message not found');
    }
    const message: EchoMessage = { ...stored.message, edit_date: new Date().toISOString() };
    message.text =
      input.text ?? (input.html !== undefined ? visibleText(input.html) : message.text);
    if (input.html !== undefined) message.html = input.html;
    else delete message.html;
    stored.message = message;
    return this.state.publish(account, { type: 'edited_message', message }, message.message_id);
  }

  /** Reads the business messages of a chat up to and including one; each is reported once. */
  reads(
    accountId: string,
    input: { chat_id: string; up_to_message_id: string },
  ): Promise<PublishedUpdate> {
    const account = this.state.account(accountId);
    const chat = account.chats.get(input.chat_id);
    if (!chat) throw notFound('chat_not_found', `chat ${input.chat_id} not found`);
    const upTo = sequenceOf(
      this.state.messageInChat(account, chat, input.up_to_message_id).message.message_id,
    );
    const newlyRead = [...this.state.messages.values()].filter(
      (m) =>
        m.accountId === accountId &&
        m.outbound &&
        !m.read &&
        m.message.chat.id === chat.id &&
        sequenceOf(m.message.message_id) <= upTo,
    );
    if (newlyRead.length === 0) throw badRequest('nothing new to mark as read');
    for (const stored of newlyRead) stored.read = true;
    const read = {
      chat,
      message_ids: newlyRead.map((m) => m.message.message_id),
      date: new Date().toISOString(),
    };
    return this.state.publish(account, { type: 'read', read });
  }

  /** The customer of the chat answers "Echo: <text>" to a business message, soon. */
  answerSoon(account: PlatformAccount, message: EchoMessage): void {
    setImmediate(() => {
      if (!this.state.accounts.has(account.info.id)) return;
      this.sends(account.info.id, {
        chat_id: message.chat.id,
        customer: { id: message.chat.id.replace(/^chat-/, '') },
        text: `Echo: ${message.text || '(attachment)'}`,
        reply_to_message_id: message.message_id,
      }).catch(() => undefined);
    });
  }

  private attachment(
    account: PlatformAccount,
    input: NonNullable<CustomerMessageInput['attachments']>[number],
  ): EchoAttachment {
    if (input.kind === 'location' || input.kind === 'contact') return { ...input };
    const bytes = Buffer.from(input.data_base64, 'base64');
    const fileId = this.state.storeFile(account.info.id, bytes, input.file_name, input.mime_type);
    const attachment = this.state.fileAttachment(account, input.kind, fileId);
    return input.emoji ? { ...attachment, emoji: input.emoji } : attachment;
  }
}

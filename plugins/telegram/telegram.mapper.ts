/**
 * Maps Telegram updates to the gateway's normalized inbound events.
 */
import type { Chat, Message, Update, User } from 'grammy/types';
import type {
  ConversationRef,
  InboundAttachment,
  InboundMessageEvent,
  Sender,
} from '../../src/core/adapter';
import { entitiesToHtml } from './telegram-entities';
import { mapMedia } from './telegram-media.mapper';

/** The event id of an update: update ids are per bot and stay the same on redelivery. */
export function telegramEventId(botId: string, updateId: number): string {
  return `telegram:${botId}:${updateId}`;
}

/** A message's id in the gateway: message ids are unique per chat only. */
export function telegramMessageId(chatId: number | string, messageId: number): string {
  return `${chatId}:${messageId}`;
}

/** `chatId:messageId` back to its parts, or undefined for something else. */
export function parseTelegramMessageId(
  externalId: string,
): { chatId: number; messageId: number } | undefined {
  const match = /^(-?\d+):(\d+)$/.exec(externalId);
  return match ? { chatId: Number(match[1]), messageId: Number(match[2]) } : undefined;
}

/** The message an update carries, and whether it is an edit. */
export function messageOf(update: Update): { message: Message; edited: boolean } | undefined {
  if (update.message) return { message: update.message, edited: false };
  if (update.edited_message) return { message: update.edited_message, edited: true };
  return undefined;
}

/**
 * The event of a `message` or `edited_message` update; undefined for other updates and for
 * service messages (members joining, pins, migrations...).
 */
export function mapTelegramUpdate(update: Update, botId: string): InboundMessageEvent | undefined {
  const carried = messageOf(update);
  if (!carried) return undefined;
  return mapTelegramMessage(
    carried.message,
    telegramEventId(botId, update.update_id),
    carried.edited,
  );
}

export function mapTelegramMessage(
  message: Message,
  eventId: string,
  edited = false,
): InboundMessageEvent | undefined {
  const media = mapMedia(message);
  const body = message.text ?? message.caption ?? '';
  const entities = message.text !== undefined ? message.entities : message.caption_entities;
  const placeholder = media.placeholder;
  if (body === '' && media.attachments.length === 0 && !placeholder) return undefined;
  const text = [body, placeholder].filter(Boolean).join(body && placeholder ? '\n' : '');
  const externalMessageId = telegramMessageId(message.chat.id, message.message_id);
  const event: InboundMessageEvent = {
    type: 'message',
    eventId,
    externalMessageId,
    conversation: conversationOf(message.chat),
    sender: senderOf(message),
    text,
    attachments: media.attachments,
    timestamp: isoTime(edited && message.edit_date ? message.edit_date : message.date),
  };
  const html = body ? entitiesToHtml(body, entities) : undefined;
  if (html) event.html = placeholder ? `${html}<br>${escape(placeholder)}` : html;
  if (message.reply_to_message) {
    event.inReplyToExternalId = telegramMessageId(
      message.reply_to_message.chat.id,
      message.reply_to_message.message_id,
    );
  }
  if (edited) event.editOf = { externalMessageId };
  return event;
}

/** Album items -> one event (message ids ascending; the caption is the first non-empty one). */
export function mergeAlbum(
  events: InboundMessageEvent[],
  eventId: string,
): InboundMessageEvent | undefined {
  if (events.length === 0) return undefined;
  const sorted = [...events].sort(
    (a, b) => messageNumber(a.externalMessageId) - messageNumber(b.externalMessageId),
  );
  const captioned = sorted.find((event) => event.text !== '') ?? sorted[0];
  const attachments: InboundAttachment[] = sorted.flatMap((event) => event.attachments);
  const merged: InboundMessageEvent = {
    ...sorted[0],
    eventId,
    text: captioned.text,
    attachments,
  };
  delete merged.html;
  if (captioned.html) merged.html = captioned.html;
  const reply = sorted.find((event) => event.inReplyToExternalId)?.inReplyToExternalId;
  if (reply) merged.inReplyToExternalId = reply;
  return merged;
}

function messageNumber(externalId: string): number {
  return parseTelegramMessageId(externalId)?.messageId ?? 0;
}

function conversationOf(chat: Chat): ConversationRef {
  const isGroup = chat.type !== 'private';
  const ref: ConversationRef = { externalId: String(chat.id), isGroup };
  const title =
    chat.type === 'private'
      ? [chat.first_name, chat.last_name].filter(Boolean).join(' ')
      : chat.title;
  if (title) ref.title = title;
  return ref;
}

function senderOf(message: Message): Sender {
  const from: User | undefined = message.from;
  if (!from) {
    const chat = message.sender_chat ?? message.chat;
    const sender: Sender = { id: String(chat.id) };
    const name = 'title' in chat && chat.title ? chat.title : undefined;
    if (name) sender.displayName = name;
    return sender;
  }
  const sender: Sender = { id: String(from.id) };
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ');
  if (name) sender.displayName = name;
  if (from.username) sender.handle = `@${from.username}`;
  const contact = message.contact;
  if (contact && contact.user_id === from.id) sender.phone = normalizePhone(contact.phone_number);
  return sender;
}

function normalizePhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  return phone.trim().startsWith('+') || digits.length > 9 ? `+${digits}` : phone;
}

function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

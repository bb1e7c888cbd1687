/**
 * Maps Echo platform updates to the gateway's normalized inbound events.
 */
import type {
  ConversationRef,
  InboundAttachment,
  InboundEvent,
  InboundMessageEvent,
} from '../../src/core/adapter';
import type { EchoAttachment, EchoChat, EchoMessage, EchoUpdate } from './echo-platform.types';

const E164 = /^\+[1-9]\d{6,14}$/;

/** The idempotency key of an update: the platform keeps update ids on redelivery. */
export function echoEventId(update: Pick<EchoUpdate, 'account_id' | 'update_id'>): string {
  return `echo:${update.account_id}:${update.update_id}`;
}

export function mapEchoUpdate(update: EchoUpdate): InboundEvent {
  const eventId = echoEventId(update);
  switch (update.type) {
    case 'message':
      return mapMessage(eventId, update.message);
    case 'edited_message':
      return {
        ...mapMessage(eventId, update.message),
        editOf: { externalMessageId: update.message.message_id },
        timestamp: update.message.edit_date ?? update.message.date,
      };
    case 'read':
      return {
        type: 'read',
        eventId,
        conversation: mapChat(update.read.chat),
        externalMessageIds: [...update.read.message_ids],
        upToAndIncluding: false,
        timestamp: update.read.date,
      };
  }
}

function mapMessage(eventId: string, message: EchoMessage): InboundMessageEvent {
  const event: InboundMessageEvent = {
    type: 'message',
    eventId,
    externalMessageId: message.message_id,
    conversation: mapChat(message.chat),
    sender: { id: message.from.id, displayName: message.from.name },
    text: message.text,
    attachments: message.attachments.map(mapAttachment),
    timestamp: message.date,
  };
  if (message.from.username) event.sender.handle = `@${message.from.username}`;
  // Sender.phone promises E.164; the platform only accepts such numbers, but a webhook body is
  // still input, so anything else is left out rather than passed on.
  if (message.from.phone && E164.test(message.from.phone)) event.sender.phone = message.from.phone;
  if (message.from.email) event.sender.email = message.from.email;
  if (message.html) event.html = message.html;
  if (message.reply_to_message_id) event.inReplyToExternalId = message.reply_to_message_id;
  return event;
}

function mapChat(chat: EchoChat): ConversationRef {
  const ref: ConversationRef = { externalId: chat.id, isGroup: chat.type === 'group' };
  if (chat.title) ref.title = chat.title;
  return ref;
}

export function mapAttachment(attachment: EchoAttachment): InboundAttachment {
  switch (attachment.kind) {
    case 'location':
      return withoutUndefined({
        kind: 'location',
        latitude: attachment.latitude,
        longitude: attachment.longitude,
        name: attachment.title,
        address: attachment.address,
        url: `https://www.openstreetmap.org/?mlat=${attachment.latitude}&mlon=${attachment.longitude}`,
      });
    case 'contact':
      return withoutUndefined({
        kind: 'contact',
        firstName: attachment.first_name,
        lastName: attachment.last_name,
        phones: [{ phone: attachment.phone_number, type: 'CELL' as const }],
        emails: attachment.email ? [{ email: attachment.email }] : [],
        organization: attachment.organization,
      });
    default:
      return withoutUndefined({
        kind: attachment.kind,
        ref: attachment.file_id,
        fileName: attachment.file_name,
        mimeType: attachment.mime_type,
        sizeBytes: attachment.size,
        note: attachment.emoji ? `emoji ${attachment.emoji}` : undefined,
      });
  }
}

/** Events are stored as JSON: leave absent fields out rather than set them to undefined. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

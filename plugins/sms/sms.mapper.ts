/**
 * Maps provider-neutral inbound SMS and status updates to the gateway's normalized events.
 */
import type {
  BinaryAttachmentKind,
  DeliveryStatusEvent,
  InboundBinaryAttachment,
  InboundMessageEvent,
  ReadReceiptEvent,
} from '../../src/core/adapter';
import { isE164 } from './phone-number';
import type { InboundSms, InboundSmsMedia, SmsStatusUpdate } from './providers/sms-provider';

/** The idempotency key of an inbound message: the provider's message id survives redelivery. */
export function inboundEventId(provider: string, messageId: string): string {
  return `${provider}:${messageId}`;
}

export function mapInboundSms(provider: string, sms: InboundSms): InboundMessageEvent {
  const event: InboundMessageEvent = {
    type: 'message',
    eventId: inboundEventId(provider, sms.messageId),
    externalMessageId: sms.messageId,
    conversation: { externalId: sms.from },
    sender: isE164(sms.from) ? { id: sms.from, phone: sms.from } : { id: sms.from },
    text: sms.body,
    attachments: sms.media.map(mapMedia),
    timestamp: sms.receivedAt,
  };
  return event;
}

export function attachmentKindOf(contentType: string | undefined): BinaryAttachmentKind {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'file';
}

function mapMedia(media: InboundSmsMedia): InboundBinaryAttachment {
  const attachment: InboundBinaryAttachment = {
    kind: attachmentKindOf(media.contentType),
    ref: media.url,
  };
  if (media.contentType) attachment.mimeType = media.contentType;
  return attachment;
}

/** Gateway delivery status per provider-neutral state (undefined: nothing to report). */
export function gatewayStatusOf(
  update: SmsStatusUpdate,
): DeliveryStatusEvent['status'] | undefined {
  switch (update.state) {
    case 'accepted':
    case 'sent':
    case 'delivered':
      return 'SENT';
    case 'failed':
      return 'FAILED';
    case 'read':
      return 'READ';
    default:
      return undefined;
  }
}

/** Higher ranks replace lower ones; callbacks that would go back are ignored. */
export const STATUS_RANK: Readonly<Record<DeliveryStatusEvent['status'], number>> = {
  SENT: 1,
  FAILED: 2,
  READ: 3,
};

export function mapStatus(
  provider: string,
  update: SmsStatusUpdate,
  status: DeliveryStatusEvent['status'],
): DeliveryStatusEvent {
  const event: DeliveryStatusEvent = {
    type: 'status',
    eventId: `${provider}:${update.messageId}:${status}`,
    externalMessageId: update.messageId,
    status,
    timestamp: update.at,
  };
  if (status === 'FAILED') event.reason = update.reason ?? `message ${update.rawStatus}`;
  return event;
}

/**
 * A higher status emitted again after a lower one that another gateway process emitted late
 * (sms-webhooks.ts): under its own event id, which the gateway does not drop as a redelivery.
 */
export function mapReassertedStatus(
  provider: string,
  messageId: string,
  reached: { status: DeliveryStatusEvent['status']; at: string; reason?: string },
  after: DeliveryStatusEvent['status'],
  fallbackTime: string,
): DeliveryStatusEvent {
  const event: DeliveryStatusEvent = {
    type: 'status',
    eventId: `${provider}:${messageId}:${reached.status}:after-${after}`,
    externalMessageId: messageId,
    status: reached.status,
    timestamp: reached.at || fallbackTime,
  };
  if (reached.status === 'FAILED') event.reason = reached.reason ?? 'message failed';
  return event;
}

/** A `read` status also reads as a read receipt in the customer's conversation. */
export function mapReadReceipt(provider: string, update: SmsStatusUpdate): ReadReceiptEvent {
  return {
    type: 'read',
    eventId: `${provider}:${update.messageId}:read-receipt`,
    conversation: { externalId: update.to },
    externalMessageIds: [update.messageId],
    upToAndIncluding: false,
    timestamp: update.at,
  };
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/amr': 'amr',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'application/pdf': 'pdf',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
  'text/plain': 'txt',
};

/** MMS media have no file name: the last path segment (ME...) plus an extension for the type. */
export function mediaFileName(ref: string, mimeType: string): string {
  let base = 'media';
  try {
    base = new URL(ref).pathname.split('/').filter(Boolean).pop() ?? base;
  } catch {
    // not a URL: keep the default
  }
  return `${base}.${EXTENSIONS[mimeType.toLowerCase()] ?? 'bin'}`;
}

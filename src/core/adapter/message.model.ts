/**
 * The normalized message model: what adapters emit for their platform's events and what they
 * receive to send. Inbound events are persisted and queued before they are processed, so they
 * are plain JSON; bytes are fetched later through `ChannelAdapter.openAttachment`.
 */
import type { Readable } from 'node:stream';
import type { BinaryAttachmentKind, DeliveryIdentifierType } from './manifest';

/** Who wrote a message on the platform. */
export interface Sender {
  /** Stable platform id of the person (Telegram user id, Matrix user id, phone number). */
  id: string;
  displayName?: string;
  /** @username, Matrix id... */
  handle?: string;
  /** E.164 when known. */
  phone?: string;
  email?: string;
}

export interface DeliveryIdentifier {
  type: DeliveryIdentifierType;
  value: string;
}

export interface ConversationRef {
  /** Stable platform id of the chat / room / customer number; one conversation each. */
  externalId: string;
  title?: string;
  /** Group conversations show each sender's name in front of their text. */
  isGroup?: boolean;
}

/** An inbound attachment whose bytes are fetched on demand through the adapter. */
export interface InboundBinaryAttachment {
  kind: BinaryAttachmentKind;
  /** Adapter-defined, JSON-serializable handle for `openAttachment` (e.g. a Telegram file_id). */
  ref: string;
  fileName?: string;
  mimeType?: string;
  sizeBytes?: number;
  /** Sticker subtype, duration and the like; shown to nobody, kept for mappers. */
  note?: string;
}

export interface LocationAttachment {
  kind: 'location';
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

export interface ContactCard {
  kind: 'contact';
  firstName?: string;
  lastName?: string;
  phones: { phone: string; type?: 'CELL' | 'MAIN' | 'HOME' | 'WORK' }[];
  emails: { email: string; type?: string }[];
  organization?: string;
}

export type InboundAttachment = InboundBinaryAttachment | LocationAttachment | ContactCard;

/** A customer message (or an edit of one). */
export interface InboundMessageEvent {
  type: 'message';
  /** Unique per platform event, stable across redelivery: the idempotency key. */
  eventId: string;
  /** The platform's id of this message, used for replies and edits. */
  externalMessageId: string;
  conversation: ConversationRef;
  sender: Sender;
  /** Plain text, without markup. */
  text: string;
  /** The same text as HTML (b, i, u, s, code, pre, a, br, blockquote), when it had formatting. */
  html?: string;
  attachments: InboundAttachment[];
  /** The platform id of the message this one answers. */
  inReplyToExternalId?: string;
  /** Set when this is an edit of an earlier message; text/html hold the new content. */
  editOf?: { externalMessageId: string };
  /** ISO-8601 time the platform gives for the message. */
  timestamp: string;
}

/** The customer read messages the business sent. */
export interface ReadReceiptEvent {
  type: 'read';
  eventId: string;
  conversation: ConversationRef;
  /** Platform ids of the messages that are now read (or the newest one read, for platforms that mark up to a point). */
  externalMessageIds: string[];
  upToAndIncluding: boolean;
  timestamp: string;
}

/** The platform reported the fate of a message we sent (SMS status callbacks). */
export interface DeliveryStatusEvent {
  type: 'status';
  eventId: string;
  externalMessageId: string;
  status: 'SENT' | 'FAILED' | 'READ';
  /** Human-readable reason for FAILED. */
  reason?: string;
  timestamp: string;
}

export type InboundEvent = InboundMessageEvent | ReadReceiptEvent | DeliveryStatusEvent;

/** An opened attachment stream. */
export interface AttachmentStream {
  stream: Readable;
  fileName: string;
  mimeType: string;
  sizeBytes?: number;
}

/** An attachment an agent sent, opened lazily by the adapter when it sends. */
export interface OutboundAttachment {
  kind: BinaryAttachmentKind;
  fileName: string;
  mimeType: string;
  sizeBytes?: number;
  open(): Promise<Readable>;
  /**
   * A short-lived URL anyone can fetch the bytes from (a signed HubSpot file URL), for platforms
   * that fetch media themselves (Twilio MMS `MediaUrl`). Valid for at least an hour when set.
   */
  publicUrl?: string;
}

/** An agent's reply to send on the platform. */
export interface OutboundMessage {
  /** Stable across retries of the same reply (the HubSpot message id). */
  idempotencyKey: string;
  conversation: ConversationRef;
  /** The customer's delivery identifier as HubSpot gave it. */
  recipient?: DeliveryIdentifier;
  /** Plain text; always set (links written as "text (url)"). */
  text: string;
  /** Sanitized HTML limited to the adapter's declared rich-text features, when formatting is html. */
  html?: string;
  attachments: OutboundAttachment[];
  inReplyToExternalId?: string;
  /** Name of the agent, for platforms that show it. */
  agentName?: string;
}

export interface SendResult {
  /** Platform ids of what was sent, in order (a split text or a media group gives several). */
  externalMessageIds: string[];
  /** Set when the platform accepted the message but reports its delivery later. */
  pendingDeliveryStatus?: boolean;
}

export type MessageDirection = 'INCOMING' | 'OUTGOING';

/**
 * PENDING: recorded, not yet published (inbound) or sent (outbound); PUBLISHED: an inbound
 * message is in HubSpot; SENT / FAILED / READ: fate of an outbound message on the platform.
 */
export type MessageStatus = 'PENDING' | 'PUBLISHED' | 'SENT' | 'FAILED' | 'READ';

export interface StoredMessage {
  id: string;
  accountId: string;
  conversationId: string;
  direction: MessageDirection;
  /** Platform ids in order (a split text has several); empty until known. */
  externalMessageIds: string[];
  hubspotMessageId?: string;
  hubspotThreadId?: string;
  status: MessageStatus;
  failureReason?: string;
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface InboundMessageInput {
  accountId: string;
  conversationId: string;
  /** E.g. the platform event id; a second record with the same key returns the first. */
  idempotencyKey: string;
  externalMessageId: string;
}

/** HubSpot's ids of a published message. */
export interface PublishedIds {
  hubspotMessageId: string;
  hubspotThreadId: string;
}

/** A customer message HubSpot accepted; `hubspot` null when its ids are unknown (409). */
export interface PublishedInbound {
  input: InboundMessageInput;
  hubspot: PublishedIds | null;
}

export interface OutboundMessageInput {
  accountId: string;
  conversationId: string;
  /** E.g. the HubSpot message id; a second record with the same key returns the first. */
  idempotencyKey: string;
  hubspotMessageId: string;
  hubspotThreadId?: string;
}

export interface RecordResult {
  message: StoredMessage;
  /** False when the idempotency key was already recorded (the stored message is returned). */
  created: boolean;
}

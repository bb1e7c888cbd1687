import type { ConversationRef } from '../../adapter';

export type ConversationStatus = 'OPEN' | 'CLOSED';

/** A platform conversation and the HubSpot thread / ticket it currently maps to. */
export interface Conversation {
  id: string;
  accountId: string;
  externalId: string;
  hubspotThreadId?: string;
  hubspotTicketId?: string;
  /** The `integrationThreadId` sent to HubSpot for this conversation's current thread. */
  integrationThreadId?: string;
  status: ConversationStatus;
  title?: string;
  isGroup: boolean;
  lastMessageAt?: Date;
  lastInboundAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export type ConversationInput = ConversationRef;

export interface ConversationFilter {
  accountId?: string;
  /** Conversations of every account of this adapter. */
  adapterId?: string;
  status?: ConversationStatus;
  /** Default 100. */
  limit?: number;
  offset?: number;
}

export interface ThreadLink {
  hubspotThreadId: string;
  integrationThreadId?: string;
}

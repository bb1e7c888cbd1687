import type { Conversation } from '../core/persistence/models/conversation.model';

/** One conversation as the admin API shows it: every key present, `null` when unset. */
export interface AdminConversationView {
  id: string;
  /** The adapter of the conversation's account (`null` if the account row is gone). */
  adapter: string | null;
  accountId: string;
  externalId: string;
  title: string | null;
  isGroup: boolean;
  status: Conversation['status'];
  hubspotThreadId: string | null;
  hubspotTicketId: string | null;
  integrationThreadId: string | null;
  lastMessageAt: string | null;
  lastInboundAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toAdminConversationView(
  conversation: Conversation,
  adapter: string | undefined,
): AdminConversationView {
  return {
    id: conversation.id,
    adapter: adapter ?? null,
    accountId: conversation.accountId,
    externalId: conversation.externalId,
    title: conversation.title ?? null,
    isGroup: conversation.isGroup,
    status: conversation.status,
    hubspotThreadId: conversation.hubspotThreadId ?? null,
    hubspotTicketId: conversation.hubspotTicketId ?? null,
    integrationThreadId: conversation.integrationThreadId ?? null,
    lastMessageAt: conversation.lastMessageAt?.toISOString() ?? null,
    lastInboundAt: conversation.lastInboundAt?.toISOString() ?? null,
    createdAt: conversation.createdAt.toISOString(),
    updatedAt: conversation.updatedAt.toISOString(),
  };
}

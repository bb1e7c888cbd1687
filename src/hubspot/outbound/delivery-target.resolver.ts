import { Injectable } from '@nestjs/common';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { Conversation } from '../../core/persistence/models/conversation.model';
import { ChannelAccountRepository } from '../../core/persistence/repositories/channel-account.repository';
import { ConversationRepository } from '../../core/persistence/repositories/conversation.repository';
import { MessageRepository } from '../../core/persistence/repositories/message.repository';
import type { AgentMessage } from './agent-message';

/** Where an agent's message goes, or why it cannot go anywhere. */
export type DeliveryTarget =
  /** No gateway account for the HubSpot account: nothing to send with, nobody to tell. */
  | { kind: 'unknown-account' }
  /** The message cannot be delivered; `reason` is shown to the agent as FAILED. */
  | { kind: 'refused'; account: ChannelAccount; conversation?: Conversation; reason: string }
  | { kind: 'deliver'; account: ChannelAccount; conversation: Conversation };

export const CHANNEL_DELETED = 'channel deleted';
export const CHANNEL_DEACTIVATED = 'channel deactivated';
export const CONVERSATION_NOT_FOUND =
  'conversation not found: the customer has not written on this channel from this thread';

/**
 * Finds the channel account and the platform conversation of an agent's reply. Agents cannot
 * start conversations on our channels, so a reply always belongs to a conversation a customer
 * opened; an account that HubSpot deactivated or deleted refuses replies.
 */
@Injectable()
export class DeliveryTargetResolver {
  constructor(
    private readonly accounts: ChannelAccountRepository,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
  ) {}

  async resolve(agent: AgentMessage): Promise<DeliveryTarget> {
    if (agent.channelAccountId === undefined) return { kind: 'unknown-account' };
    const account = await this.accounts.findByHubSpotId(agent.channelAccountId);
    if (!account) return { kind: 'unknown-account' };
    const conversation = await this.findConversation(account, agent);
    const refusal = refusalOf(account);
    if (refusal !== undefined) {
      return { kind: 'refused', account, ...(conversation && { conversation }), reason: refusal };
    }
    if (!conversation) return { kind: 'refused', account, reason: CONVERSATION_NOT_FOUND };
    return { kind: 'deliver', account, conversation };
  }

  /**
   * By our integrationThreadId, then HubSpot's thread id, then the conversation of the message
   * replied to; for phone / email channels the customer's address is the conversation itself.
   */
  private async findConversation(
    account: ChannelAccount,
    agent: AgentMessage,
  ): Promise<Conversation | undefined> {
    for (const integrationThreadId of agent.integrationThreadIds) {
      const found = await this.conversations.findByIntegrationThreadId(
        account.id,
        integrationThreadId,
      );
      if (found) return found;
    }
    if (agent.conversationsThreadId !== undefined) {
      const found = await this.conversations.findByThreadId(agent.conversationsThreadId);
      if (found?.accountId === account.id) return found;
      // An earlier thread of a conversation that has moved on to a newer one.
      const earlier = await this.messages.findConversationIdByThread(
        account.id,
        agent.conversationsThreadId,
      );
      const conversation = earlier ? await this.conversations.findById(earlier) : undefined;
      if (conversation) return conversation;
    }
    if (agent.inReplyToId !== undefined) {
      const original = await this.messages.findByHubSpotId(agent.inReplyToId);
      if (original?.accountId === account.id) {
        const found = await this.conversations.findById(original.conversationId);
        if (found) return found;
      }
    }
    // Opaque ids name a person, not a chat (a group member would get a private message).
    if (agent.recipient && agent.recipient.type !== 'CHANNEL_SPECIFIC_OPAQUE_ID') {
      return this.conversations.findByExternalId(account.id, agent.recipient.value);
    }
    return undefined;
  }
}

/** Why an account cannot send, or undefined when it can. */
export function refusalOf(account: ChannelAccount): string | undefined {
  switch (account.status) {
    case 'deleted':
      return CHANNEL_DELETED;
    case 'inactive':
      return account.statusReason
        ? `${CHANNEL_DEACTIVATED}: ${account.statusReason}`
        : CHANNEL_DEACTIVATED;
    case 'pending':
      return 'channel account is not connected yet';
    case 'failed':
      return account.statusReason
        ? `channel account failed: ${account.statusReason}`
        : 'channel account failed';
    case 'active':
      return account.authorized ? undefined : CHANNEL_DEACTIVATED;
  }
}

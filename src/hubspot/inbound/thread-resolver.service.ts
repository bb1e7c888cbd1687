import { Injectable } from '@nestjs/common';
import type { Conversation } from '../../core/persistence/models/conversation.model';
import type { ThreadingSettings } from '../threading/threading-settings';
import type { InboundPortalApi } from './hubspot-portals';
import { decideThread, type ThreadDecision } from './thread-decision';
import { ThreadStatusChecker } from './thread-status.checker';

/**
 * Decides the thread of a customer message: looks up what the threading mode needs (the current
 * thread's status, only in after-ticket-closed mode) and applies `decideThread`. Writes nothing:
 * the conversation is updated once HubSpot accepted the message, so a failed publish leaves it
 * as it was and the retry decides the same.
 */
@Injectable()
export class ThreadResolver {
  constructor(private readonly status: ThreadStatusChecker) {}

  async resolve(input: {
    portal: InboundPortalApi;
    settings: ThreadingSettings;
    accountId: string;
    conversation: Conversation;
    eventId: string;
    messageAt: Date;
  }): Promise<ThreadDecision> {
    const { conversation, settings } = input;
    const currentThreadClosed =
      settings.mode === 'after-ticket-closed' &&
      conversation.integrationThreadId !== undefined &&
      conversation.hubspotThreadId !== undefined
        ? await this.status.isClosed(input.portal, conversation.hubspotThreadId)
        : false;
    return decideThread({
      settings,
      accountId: input.accountId,
      conversation,
      eventId: input.eventId,
      messageAt: input.messageAt,
      currentThreadClosed,
    });
  }
}

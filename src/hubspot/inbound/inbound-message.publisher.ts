import { Inject, Injectable } from '@nestjs/common';
import { isRetryable, reasonOf, type InboundMessageEvent } from '../../core/adapter';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import { MetricsService } from '../../core/observability/metrics.service';
import type { Conversation } from '../../core/persistence/models/conversation.model';
import { ConversationRepository } from '../../core/persistence/repositories/conversation.repository';
import { MessageRepository } from '../../core/persistence/repositories/message.repository';
import type { JobContext } from '../../core/queue/job-queue';
import { HubSpotApiError } from '../client/errors';
import type { PublishedMessage, PublishMessage } from '../client/messages.api';
import { threadingSettingsOf } from '../threading/threading-settings';
import { AttachmentUploader } from './attachment-uploader.service';
import { ContactResolver } from './contact-resolver.service';
import { HubSpotPortals, type InboundPortalApi } from './hubspot-portals';
import { InboundClock } from './inbound-clock';
import { inboundMessageKey, integrationIdempotencyIdOf } from './inbound-ids';
import { composeMessageText } from './message-text';
import { PlatformAccess } from './platform-access';
import { PublishedInboundRecorder } from './published-inbound.recorder';
import type { PublishableAccount } from './publishable-account';
import { senderDeliveryIdentifier, senderName } from './sender-identity';
import type { ThreadDecision } from './thread-decision';
import { ThreadResolver } from './thread-resolver.service';
import { TicketRecorder } from './ticket-recorder.service';

/**
 * Publishes one customer message to HubSpot (spec 6) and records where it landed.
 *
 * Every step may run again (a retried job, a redelivered event): HubSpot dedupes by the
 * deterministic `integrationIdempotencyId`, the thread decision is a function of the event, and
 * the conversation is only changed after HubSpot accepted the message. The local record (keyed by
 * the event) is written once HubSpot accepted it, as PUBLISHED: a record found PUBLISHED stops a
 * redelivery before it reaches HubSpot, and nothing is written on the way there.
 */
@Injectable()
export class InboundMessagePublisher {
  constructor(
    private readonly portals: HubSpotPortals,
    private readonly platforms: PlatformAccess,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly recorder: PublishedInboundRecorder,
    private readonly threads: ThreadResolver,
    private readonly uploader: AttachmentUploader,
    private readonly contacts: ContactResolver,
    private readonly tickets: TicketRecorder,
    private readonly metrics: MetricsService,
    private readonly clock: InboundClock,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  async publish(
    account: PublishableAccount,
    event: InboundMessageEvent,
    job: JobContext,
  ): Promise<void> {
    const messageKey = inboundMessageKey(account.id, event.eventId);
    // Both reads at once: each is a trip to the database (batched with other jobs' reads).
    const [{ conversation }, status] = await Promise.all([
      this.conversations.findOrCreate(account.id, event.conversation),
      this.messages.statusByIdempotencyKey(messageKey),
    ]);
    if (status === 'PUBLISHED') {
      // A redelivered or replayed event: HubSpot has the message already.
      this.metrics.countAdapterEvent(account.adapterId, 'inbound', 'duplicate');
      this.logger.debug(
        { adapter: account.adapterId, account: account.id, eventId: event.eventId },
        'dropped a redelivered platform event',
      );
      return;
    }

    const portal = this.portals.forPortal(account.portalId);
    const messageAt = this.messageTime(event);
    const decision = await this.threads.resolve({
      portal,
      settings: threadingSettingsOf(account.settings),
      accountId: account.id,
      conversation,
      eventId: event.eventId,
      messageAt,
    });
    const body = await this.buildMessage({
      account,
      event,
      job,
      portal,
      conversation,
      decision,
      messageKey,
      messageAt,
    });

    const published = await this.send(account, portal, body, job);
    if (published) {
      const ticketId = await this.recordThread(conversation, decision, published);
      await this.tickets.record({
        portal,
        conversationId: conversation.id,
        hubspotThreadId: published.conversationsThreadId,
        ...(ticketId !== undefined && { knownTicketId: ticketId }),
      });
    }
    // Also after a 409 (HubSpot has it; its ids stay unknown): a later redelivery stops here.
    await this.recorder.record({
      input: {
        accountId: account.id,
        conversationId: conversation.id,
        idempotencyKey: messageKey,
        externalMessageId: event.externalMessageId,
      },
      hubspot: published
        ? { hubspotMessageId: published.id, hubspotThreadId: published.conversationsThreadId }
        : null,
      at: messageAt,
    });
    this.metrics.countAdapterEvent(account.adapterId, 'inbound', 'published');
    this.logger.debug(
      {
        account: account.id,
        eventId: event.eventId,
        hubspotMessage: published?.id,
        thread: published?.conversationsThreadId,
        threadDecision: decision.reason,
      },
      'customer message published to HubSpot',
    );
  }

  private async buildMessage(input: {
    account: PublishableAccount;
    event: InboundMessageEvent;
    job: JobContext;
    portal: InboundPortalApi;
    conversation: Conversation;
    decision: ThreadDecision;
    messageKey: string;
    messageAt: Date;
  }): Promise<PublishMessage> {
    const { account, event, conversation, decision, portal, job } = input;
    const identifierType = this.platforms.identifierTypeOf(account);
    const opensThread = decision.startsNewThread || conversation.hubspotThreadId === undefined;
    const prepared = await this.uploader.prepare({
      portal,
      channelId: account.hubspotChannelId,
      messageKey: input.messageKey,
      attachments: event.attachments,
      source: this.platforms.attachmentSource(account),
      job,
    });
    // HubSpot associates a thread with a contact when it opens; later messages follow the thread.
    // A group's thread belongs to no single member, so it is not tied to whoever wrote first.
    const contactId =
      opensThread && !conversation.isGroup
        ? await this.contacts.resolve({
            portal,
            portalId: account.portalId,
            identifierType,
            sender: event.sender,
            job,
          })
        : undefined;
    const inReplyToId = await this.inReplyToId(account, event, conversation, opensThread);
    const quote =
      event.editOf !== undefined && inReplyToId !== undefined
        ? await this.originalText(portal, account, inReplyToId, job)
        : undefined;
    const name = senderName(event.sender);
    const { text, richText } = composeMessageText({
      text: event.text,
      ...(event.html !== undefined && { html: event.html }),
      ...(conversation.isGroup && { groupSender: name }),
      edit: event.editOf !== undefined,
      ...(quote !== undefined && { quote }),
      notes: prepared.notes,
    });
    return {
      channelAccountId: account.hubspotChannelAccountId,
      messageDirection: 'INCOMING',
      integrationThreadId: decision.integrationThreadId,
      integrationIdempotencyId: integrationIdempotencyIdOf(account.id, event.eventId),
      senders: [
        { deliveryIdentifier: senderDeliveryIdentifier(identifierType, event.sender), name },
      ],
      recipients: account.deliveryIdentifier
        ? [{ deliveryIdentifier: account.deliveryIdentifier }]
        : [],
      text,
      ...(richText !== undefined && { richText }),
      timestamp: input.messageAt.toISOString(),
      attachments: prepared.attachments,
      ...(inReplyToId !== undefined && { inReplyToId }),
      ...(contactId !== undefined && { associateWithContactId: contactId }),
    };
  }

  /**
   * The HubSpot id of the message this one answers (or, for an edit, the message it changes),
   * when it is in the thread this message goes to: a reference into an older thread is left out
   * (HubSpot's handling of cross-thread replies is not documented).
   */
  private async inReplyToId(
    account: PublishableAccount,
    event: InboundMessageEvent,
    conversation: Conversation,
    opensThread: boolean,
  ): Promise<string | undefined> {
    const target = event.editOf?.externalMessageId ?? event.inReplyToExternalId;
    if (target === undefined || opensThread) return undefined;
    const original = await this.messages.findByExternalId(account.id, target, conversation.id);
    if (original?.hubspotMessageId === undefined) return undefined;
    if (
      original.hubspotThreadId !== undefined &&
      original.hubspotThreadId !== conversation.hubspotThreadId
    ) {
      return undefined;
    }
    return original.hubspotMessageId;
  }

  /**
   * The text of the message an edit changes, as HubSpot has it (the gateway keeps no message
   * texts). The edit matters more than the quote: only a retryable failure before the job's
   * last attempt delays it; otherwise it is published without the quote.
   */
  private async originalText(
    portal: InboundPortalApi,
    account: PublishableAccount,
    hubspotMessageId: string,
    job: JobContext,
  ): Promise<string | undefined> {
    try {
      return (await portal.messages.get(account.hubspotChannelId, hubspotMessageId)).text;
    } catch (error) {
      if (isRetryable(error) && job.attempt < job.maxAttempts) throw error;
      this.logger.warn(
        { account: account.id, hubspotMessage: hubspotMessageId, reason: reasonOf(error) },
        'could not read the edited message from HubSpot; the edit goes without the quote',
      );
      return undefined;
    }
  }

  /**
   * Publishes; undefined when HubSpot answered 409 to a replayed idempotency id (spec 6.6): the
   * message is there already, from an attempt whose answer was lost. HubSpot has no lookup by
   * idempotency id, so its id stays unknown: the local record is PUBLISHED without HubSpot
   * ids (a later reply to it goes without inReplyToId), and the event counts as processed.
   */
  private async send(
    account: PublishableAccount,
    portal: InboundPortalApi,
    body: PublishMessage,
    job: JobContext,
  ): Promise<PublishedMessage | undefined> {
    try {
      return await portal.messages.publish(account.hubspotChannelId, body, job.signal);
    } catch (error) {
      if (error instanceof HubSpotApiError && error.status === 409) {
        this.logger.warn(
          { account: account.id, integrationIdempotencyId: body.integrationIdempotencyId },
          'HubSpot already has this message (409 on a replayed idempotency id); its id is unknown',
        );
        return undefined;
      }
      if (!isRetryable(error)) {
        this.metrics.countAdapterEvent(account.adapterId, 'inbound', 'publish_failed');
        this.logger.error(
          {
            account: account.id,
            integrationIdempotencyId: body.integrationIdempotencyId,
            reason: reasonOf(error),
          },
          'HubSpot refused a customer message; the job goes to the dead letters',
        );
      }
      throw error;
    }
  }

  /**
   * Links the conversation to the thread HubSpot put the message in. A thread other than the
   * recorded one (a new one by our threading setting, or HubSpot's own after a closed thread)
   * starts over: the old thread's ticket is not this thread's. Returns the ticket still valid.
   */
  private async recordThread(
    conversation: Conversation,
    decision: ThreadDecision,
    published: PublishedMessage,
  ): Promise<string | undefined> {
    const threadId = published.conversationsThreadId;
    if (
      threadId === conversation.hubspotThreadId &&
      decision.integrationThreadId === conversation.integrationThreadId
    ) {
      return conversation.hubspotTicketId;
    }
    if (conversation.hubspotThreadId !== undefined || conversation.hubspotTicketId !== undefined) {
      await this.conversations.startNewThread(conversation.id, decision.integrationThreadId);
    }
    await this.conversations.linkThread(conversation.id, {
      hubspotThreadId: threadId,
      integrationThreadId: decision.integrationThreadId,
    });
    return undefined;
  }

  /** The platform's time of the message; the processing time when it gave none usable. */
  private messageTime(event: InboundMessageEvent): Date {
    const at = new Date(event.timestamp);
    return Number.isNaN(at.getTime()) ? new Date(this.clock.now()) : at;
  }
}

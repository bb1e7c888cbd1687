import { Inject, Injectable } from '@nestjs/common';
import {
  type DeliveryStatusEvent,
  type ReadReceiptEvent,
  RetryableError,
} from '../../core/adapter';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { StoredMessage } from '../../core/persistence/models/message.model';
import { ConversationRepository } from '../../core/persistence/repositories/conversation.repository';
import { MessageRepository } from '../../core/persistence/repositories/message.repository';
import type { JobContext } from '../../core/queue/job-queue';
import { HubSpotStatusReporter, type ReportedStatus } from './hubspot-status-reporter';
import { PlatformStatusHandler } from './platform-status.handler';

/**
 * A status callback can overtake the send that produced its message id (the outbound job records
 * the ids only after the platform answered). Such an event is retried this many runs before it
 * is dropped as being about a message the gateway never sent.
 */
export const UNKNOWN_MESSAGE_ATTEMPTS = 4;
const UNKNOWN_MESSAGE_DELAY_MS = 2000;

/**
 * Applies read receipts and asynchronous delivery status to the stored outbound messages and
 * reports each change to HubSpot (spec 9). The local transition comes first; HubSpot is told
 * whenever the stored status is the reported one, so a retry after a failed PATCH reports again
 * instead of losing the status.
 */
@Injectable()
export class PlatformStatusService extends PlatformStatusHandler {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly reporter: HubSpotStatusReporter,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {
    super();
  }

  async handle(
    account: ChannelAccount,
    event: ReadReceiptEvent | DeliveryStatusEvent,
    context: JobContext,
  ): Promise<void> {
    if (event.type === 'read') await this.applyRead(account, event, context);
    else await this.applyStatus(account, event, context);
  }

  private async applyRead(
    account: ChannelAccount,
    event: ReadReceiptEvent,
    context: JobContext,
  ): Promise<void> {
    const conversation = await this.conversations.findByExternalId(
      account.id,
      event.conversation.externalId,
    );
    if (!conversation) {
      this.logger.debug(
        { account: account.id, chat: event.conversation.externalId },
        'read receipt for an unknown conversation; ignored',
      );
      return;
    }
    const toReport = new Map<string, StoredMessage>();
    for (const externalId of event.externalMessageIds) {
      const message = await this.messages.findByExternalId(account.id, externalId, conversation.id);
      if (!message || message.direction !== 'OUTGOING') {
        this.logger.debug(
          { account: account.id, externalMessageId: externalId },
          'read receipt for a message the gateway did not send; ignored',
        );
        continue;
      }
      if (event.upToAndIncluding) {
        const changed = await this.messages.markReadUpTo(conversation.id, externalId);
        for (const read of changed) toReport.set(read.id, read);
      } else if (await this.messages.markRead(message.id)) {
        toReport.set(message.id, message);
      }
      // A retry after a failed PATCH: the named message is READ already, report it again.
      if (context.attempt > 1 && !toReport.has(message.id)) {
        const current = await this.messages.findById(message.id);
        if (current?.status === 'READ') toReport.set(current.id, current);
      }
    }
    await this.reportAll(account, [...toReport.values()], 'READ');
  }

  private async applyStatus(
    account: ChannelAccount,
    event: DeliveryStatusEvent,
    context: JobContext,
  ): Promise<void> {
    const message = await this.messages.findByExternalId(account.id, event.externalMessageId);
    if (!message || message.direction !== 'OUTGOING') {
      if (context.attempt < Math.min(context.maxAttempts, UNKNOWN_MESSAGE_ATTEMPTS)) {
        // Maybe the send that got this id has not recorded it yet.
        throw new RetryableError(
          `status ${event.status} for platform message ${event.externalMessageId} that is not recorded (yet)`,
          UNKNOWN_MESSAGE_DELAY_MS * context.attempt,
        );
      }
      this.logger.debug(
        { account: account.id, externalMessageId: event.externalMessageId, status: event.status },
        'delivery status for a message the gateway did not send; ignored',
      );
      return;
    }
    if (event.status === 'SENT') await this.messages.markSent(message.id, []);
    else if (event.status === 'FAILED') {
      await this.messages.markFailed(message.id, event.reason ?? 'the platform reported a failure');
    } else await this.messages.markRead(message.id);
    const current = await this.messages.findById(message.id);
    // Only a status the message now has is reported (a late SENT never undoes READ).
    if (current?.status !== event.status) return;
    await this.reportAll(account, [current], event.status, current.failureReason);
  }

  /** PATCHes every message; the first failure is rethrown after all were tried. */
  private async reportAll(
    account: ChannelAccount,
    messages: StoredMessage[],
    status: ReportedStatus,
    errorMessage?: string,
  ): Promise<void> {
    const { portalId, hubspotChannelId } = account;
    if (!portalId || !hubspotChannelId) {
      if (messages.length > 0) {
        this.logger.warn(
          { account: account.id, status },
          'account is not bound to HubSpot; status not reported',
        );
      }
      return;
    }
    const results = await Promise.allSettled(
      messages.flatMap(({ hubspotMessageId: messageId }) =>
        messageId === undefined
          ? []
          : [
              this.reporter.report(
                { portalId, channelId: hubspotChannelId, messageId },
                status,
                errorMessage,
              ),
            ],
      ),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import { ProcessedEventRepository } from '../../core/persistence/repositories/processed-event.repository';
import { JobQueue } from '../../core/queue/job-queue';
import {
  type AccountEvent,
  type AccountEventJob,
  HUBSPOT_EVENTS_QUEUE,
  HUBSPOT_OUTGOING_QUEUE,
  type HubSpotEvent,
  jobIdFor,
  type OutgoingMessageEvent,
  type OutgoingMessageJob,
  WEBHOOK_EVENT_SOURCE,
} from './hubspot-event';

export interface IntakeResult {
  accepted: number;
  duplicates: number;
  ignored: number;
}

/**
 * Makes verified events durable before the webhook is answered: drops redeliveries
 * (processed-event table), enqueues account events on `hubspot-events` and agent replies on
 * `hubspot-outgoing`. No HubSpot call happens here.
 */
@Injectable()
export class HubSpotWebhookIntake {
  constructor(
    private readonly processed: ProcessedEventRepository,
    private readonly queue: JobQueue,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  async accept(events: HubSpotEvent[], now = new Date()): Promise<IntakeResult> {
    const result: IntakeResult = { accepted: 0, duplicates: 0, ignored: 0 };
    for (const event of events) {
      if (event.kind === 'unknown') {
        this.logger.warn(
          { hubspotEvent: event.type, reason: event.reason },
          'HubSpot webhook event ignored',
        );
        result.ignored += 1;
        continue;
      }
      if (await this.processed.isProcessed(WEBHOOK_EVENT_SOURCE, event.dedupeKey)) {
        this.logger.debug(
          { hubspotEvent: event.type, dedupeKey: event.dedupeKey },
          'HubSpot webhook event already received',
        );
        result.duplicates += 1;
        continue;
      }
      // Queue first, then remember: a crash in between makes HubSpot's redelivery enqueue again
      // (the job id dedupes it while it waits; processing re-reads state, so a repeat is harmless)
      // instead of dropping an event that was never queued.
      await this.enqueue(event, now);
      await this.processed.markProcessed(WEBHOOK_EVENT_SOURCE, event.dedupeKey, now);
      result.accepted += 1;
    }
    return result;
  }

  private async enqueue(event: AccountEvent | OutgoingMessageEvent, now: Date): Promise<void> {
    const receivedAt = now.toISOString();
    if (event.kind === 'account') {
      const job: AccountEventJob = {
        type: event.type,
        portalId: event.portalId,
        channelId: event.channelId,
        channelAccountId: event.channelAccountId,
        dedupeKey: event.dedupeKey,
        receivedAt,
      };
      await this.queue.enqueue(HUBSPOT_EVENTS_QUEUE, job, {
        jobId: jobIdFor(HUBSPOT_EVENTS_QUEUE, event.dedupeKey),
        orderingKey: `hubspot-account:${event.channelAccountId}`,
      });
      return;
    }
    const job: OutgoingMessageJob = {
      portalId: event.portalId,
      channelId: event.channelId,
      ...(event.channelAccountId !== undefined && { channelAccountId: event.channelAccountId }),
      messageId: event.messageId,
      dedupeKey: event.dedupeKey,
      receivedAt,
      event: event.raw,
    };
    await this.queue.enqueue(HUBSPOT_OUTGOING_QUEUE, job, {
      jobId: jobIdFor(HUBSPOT_OUTGOING_QUEUE, event.dedupeKey),
      orderingKey: `hubspot-thread:${event.conversationKey}`,
    });
    this.logger.debug(
      { messageId: event.messageId, thread: event.conversationKey },
      'HubSpot agent message queued on hubspot-outgoing',
    );
  }
}

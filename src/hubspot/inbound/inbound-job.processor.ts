import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { RetryableError } from '../../core/adapter';
import { GATEWAY_LOGGER, type GatewayLogger } from '../../core/logging';
import { MetricsService } from '../../core/observability/metrics.service';
import { ProcessedEventRepository } from '../../core/persistence/repositories/processed-event.repository';
import { INBOUND_QUEUE, inboundEventSource, type InboundJob } from '../../core/pipeline/queues';
import { JobQueue, type JobContext } from '../../core/queue/job-queue';
import { PlatformStatusHandler } from '../outbound/platform-status.handler';
import { InboundAccountCache } from './inbound-account.cache';
import { InboundMessagePublisher } from './inbound-message.publisher';
import { notPublishableReason, type PublishableAccount } from './publishable-account';

/**
 * Jobs of the inbound queue running at once. Lanes keep each conversation in order; this many
 * conversations proceed in parallel, mostly waiting on HubSpot, which 1,000 messages/s needs.
 */
export const INBOUND_CONCURRENCY = 64;

/** How long an event for an account that is not bound or not authorized waits per attempt. */
export const UNBOUND_RETRY_MS = 30_000;

/**
 * Handler of the `inbound` queue: platform events on their way to HubSpot. Customer messages go
 * to the publisher; read receipts and delivery status to the outbound module's status handler.
 */
@Injectable()
export class InboundJobProcessor implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly accounts: InboundAccountCache,
    private readonly publisher: InboundMessagePublisher,
    private readonly statusHandler: PlatformStatusHandler,
    private readonly processedEvents: ProcessedEventRepository,
    private readonly metrics: MetricsService,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {}

  onModuleInit(): void {
    this.queue.registerHandler<InboundJob>(
      INBOUND_QUEUE,
      (job, context) => this.handle(job, context),
      {
        concurrency: INBOUND_CONCURRENCY,
      },
    );
  }

  async handle(job: InboundJob, context: JobContext): Promise<void> {
    const account = await this.accounts.get(job.accountId);
    if (!account || account.status === 'deleted') {
      this.metrics.countAdapterEvent(job.adapterId, 'inbound', 'dropped');
      this.logger.warn(
        { adapter: job.adapterId, account: job.accountId, eventId: job.event.eventId },
        'platform event for a deleted or unknown channel account dropped',
      );
      return;
    }
    const problem = notPublishableReason(account);
    if (problem !== undefined) {
      // It is being connected or re-authorized; after the last attempt the job is dead-lettered
      // and an operator can replay it.
      this.accounts.forget(account.id);
      throw new RetryableError(`channel account ${account.id} ${problem}`, UNBOUND_RETRY_MS);
    }
    const publishable = account as PublishableAccount;
    const { event } = job;
    if (event.type === 'message') {
      await this.publisher.publish(publishable, event, context);
      return;
    }
    // A message's redelivery is recognised by its record (publisher); a status event's by this.
    const source = inboundEventSource(account.id);
    if (await this.processedEvents.isProcessed(source, event.eventId)) {
      this.metrics.countAdapterEvent(job.adapterId, 'inbound', 'duplicate');
      this.logger.debug(
        { adapter: job.adapterId, account: account.id, eventId: event.eventId },
        'dropped a redelivered platform event',
      );
      return;
    }
    await this.statusHandler.handle(publishable, event, context);
    await this.processedEvents.markProcessed(source, event.eventId);
  }
}

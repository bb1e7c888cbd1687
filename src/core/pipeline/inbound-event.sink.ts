import { Inject, Injectable } from '@nestjs/common';
import type { InboundEvent } from '../adapter';
import { GATEWAY_LOGGER, type GatewayLogger } from '../logging';
import { MetricsService } from '../observability/metrics.service';
import { ProcessedEventRepository } from '../persistence/repositories/processed-event.repository';
import type { ReceivingAccount } from '../plugins/account-directory';
import { InboundEventSink } from '../plugins/account-context.factory';
import { JobQueue } from '../queue/job-queue';
import {
  INBOUND_QUEUE,
  inboundEventSource,
  inboundJobId,
  inboundOrderingKey,
  type InboundJob,
} from './queues';

/**
 * Where adapters' events enter the gateway. An event already processed (same account and
 * eventId) is dropped; otherwise it is queued durably, deduplicated by job id while queued, on
 * its conversation's lane. The inbound processor marks it processed once it reached HubSpot.
 */
@Injectable()
export class QueueingInboundEventSink extends InboundEventSink {
  constructor(
    private readonly queue: JobQueue,
    private readonly processedEvents: ProcessedEventRepository,
    private readonly metrics: MetricsService,
    @Inject(GATEWAY_LOGGER) private readonly logger: GatewayLogger,
  ) {
    super();
  }

  async accept(account: ReceivingAccount, event: InboundEvent): Promise<void> {
    if (await this.processedEvents.isProcessed(inboundEventSource(account.id), event.eventId)) {
      this.metrics.countAdapterEvent(account.adapterId, 'inbound', 'duplicate');
      this.logger.debug(
        { adapter: account.adapterId, account: account.id, eventId: event.eventId },
        'dropped a redelivered platform event',
      );
      return;
    }
    const job: InboundJob = { adapterId: account.adapterId, accountId: account.id, event };
    await this.queue.enqueue(INBOUND_QUEUE, job, {
      orderingKey: inboundOrderingKey(account.id, event),
      jobId: inboundJobId(account.id, event),
    });
    this.metrics.countAdapterEvent(account.adapterId, 'inbound', 'accepted');
  }
}

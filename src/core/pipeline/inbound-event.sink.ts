import { Injectable } from '@nestjs/common';
import type { InboundEvent } from '../adapter';
import { MetricsService } from '../observability/metrics.service';
import type { ReceivingAccount } from '../plugins/account-directory';
import { InboundEventSink } from '../plugins/account-context.factory';
import { JobQueue } from '../queue/job-queue';
import { INBOUND_QUEUE, inboundJobId, inboundOrderingKey, type InboundJob } from './queues';

/**
 * Where adapters' events enter the gateway: queued durably on its conversation's lane,
 * deduplicated by job id while queued. A redelivery of an event already handled is dropped by
 * the inbound processor (the message's record, or the processed-event record of a status), not
 * here: a lookup on the webhook path would cost every event a database round trip before the
 * platform gets its answer, for the rare redelivery.
 */
@Injectable()
export class QueueingInboundEventSink extends InboundEventSink {
  constructor(
    private readonly queue: JobQueue,
    private readonly metrics: MetricsService,
  ) {
    super();
  }

  async accept(account: ReceivingAccount, event: InboundEvent): Promise<void> {
    const job: InboundJob = { adapterId: account.adapterId, accountId: account.id, event };
    await this.queue.enqueue(INBOUND_QUEUE, job, {
      orderingKey: inboundOrderingKey(account.id, event),
      jobId: inboundJobId(account.id, event),
    });
    this.metrics.countAdapterEvent(account.adapterId, 'inbound', 'accepted');
  }
}

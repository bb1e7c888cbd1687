import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobQueue, type QueueHandlerOptions } from '../../core/queue/job-queue';
import { HUBSPOT_OUTGOING_QUEUE, type OutgoingMessageJob } from '../webhook/hubspot-event';
import { OutboundDeliveryService } from './outbound-delivery.service';

/**
 * Agents' replies run one at a time per HubSpot thread (the intake's ordering key), so a
 * conversation's replies reach the platform in order; 16 threads proceed at once. Ten attempts
 * with backoff from 2 s doubling up to 10 min give a platform outage at most about 17 minutes
 * (half that on average: full jitter) before the agent sees FAILED; a platform's Retry-After
 * always wins over the backoff.
 */
export const OUTBOUND_DELIVERY_OPTIONS: QueueHandlerOptions = {
  concurrency: 16,
  maxAttempts: 10,
  backoff: { baseMs: 2000, maxMs: 10 * 60_000 },
};

/** Handler of the `hubspot-outgoing` queue. */
@Injectable()
export class OutboundDeliveryProcessor implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly delivery: OutboundDeliveryService,
  ) {}

  onModuleInit(): void {
    this.queue.registerHandler<OutgoingMessageJob>(
      HUBSPOT_OUTGOING_QUEUE,
      (job, context) => this.delivery.deliver(job, context),
      OUTBOUND_DELIVERY_OPTIONS,
    );
  }
}

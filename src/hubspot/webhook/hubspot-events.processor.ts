import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobQueue } from '../../core/queue/job-queue';
import { ChannelAccountLifecycleService } from './channel-account-lifecycle.service';
import { type AccountEventJob, HUBSPOT_EVENTS_QUEUE } from './hubspot-event';

/**
 * Handler of the `hubspot-events` queue (account events, one at a time per channel account).
 * `hubspot-outgoing` is handled by the outbound pipeline (OutboundDeliveryProcessor).
 */
@Injectable()
export class HubSpotEventsProcessor implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly lifecycle: ChannelAccountLifecycleService,
  ) {}

  onModuleInit(): void {
    this.queue.registerHandler<AccountEventJob>(
      HUBSPOT_EVENTS_QUEUE,
      (job) => this.lifecycle.handle(job),
      { concurrency: 4 },
    );
  }
}

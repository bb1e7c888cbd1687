import { Global, Module } from '@nestjs/common';
import { QUEUE_OBSERVER } from '../queue/queue.module';
import { MetricsService } from './metrics.service';

/** Metrics are recorded everywhere (queue, adapters, HubSpot), so the service is global. */
@Global()
@Module({
  providers: [MetricsService, { provide: QUEUE_OBSERVER, useExisting: MetricsService }],
  exports: [MetricsService, QUEUE_OBSERVER],
})
export class MetricsModule {}

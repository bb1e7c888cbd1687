import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** Metrics are recorded everywhere (queue, adapters, HubSpot), so the service is global. */
@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}

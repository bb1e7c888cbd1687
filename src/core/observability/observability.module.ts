import { Module } from '@nestjs/common';
import { PluginsModule } from '../plugins/plugins.module';
import { HealthService } from './health.service';
import { ObservabilityController } from './observability.controller';

/** GET /health and GET /metrics. */
@Module({
  imports: [PluginsModule],
  providers: [HealthService],
  controllers: [ObservabilityController],
  exports: [HealthService],
})
export class ObservabilityModule {}

import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '../observability/metrics.service';
import { BullJobQueue } from './bull/bull-job-queue';
import { EmbeddedJobQueue } from './embedded/embedded-job-queue';
import { JobQueue } from './job-queue';

export interface GatewayQueueModuleOptions {
  /** Unset: the embedded driver on the gateway's database. Set: Bull on this Redis. */
  redisUrl?: string;
}

@Module({})
export class GatewayQueueModule {
  static forRoot(options: GatewayQueueModuleOptions): DynamicModule {
    return {
      module: GatewayQueueModule,
      global: true,
      providers: [
        {
          provide: JobQueue,
          inject: [DataSource, MetricsService],
          useFactory: (dataSource: DataSource, metrics: MetricsService): JobQueue => {
            if (options.redisUrl) {
              return new BullJobQueue(dataSource, {
                redisUrl: options.redisUrl,
                observer: metrics,
              });
            }
            return new EmbeddedJobQueue(dataSource, { observer: metrics });
          },
        },
      ],
      exports: [JobQueue],
    };
  }
}

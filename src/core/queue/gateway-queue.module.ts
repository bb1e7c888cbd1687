import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '../observability/metrics.service';
import { BullJobQueue } from './bull/bull-job-queue';
import { EmbeddedJobQueue } from './embedded/embedded-job-queue';
import { JobQueue } from './job-queue';

export interface GatewayQueueModuleOptions {
  /** Unset: the embedded driver on the gateway's database. Set: Bull on this Redis. */
  redisUrl?: string;
  /** How long a graceful stop waits for in-flight jobs. */
  stopTimeoutMs?: number;
}

/**
 * Starts the queue once every processor registered its handler (after all modules initialised)
 * and stops it before the database closes, letting in-flight jobs finish.
 */
@Injectable()
class QueueLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly queue: JobQueue,
    private readonly stopTimeoutMs: number,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.queue.stop(this.stopTimeoutMs);
  }
}

@Module({})
export class GatewayQueueModule {
  static forRoot(options: GatewayQueueModuleOptions): DynamicModule {
    const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
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
        {
          provide: QueueLifecycle,
          inject: [JobQueue],
          useFactory: (queue: JobQueue) => new QueueLifecycle(queue, stopTimeoutMs),
        },
      ],
      exports: [JobQueue],
    };
  }
}

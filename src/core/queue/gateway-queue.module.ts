import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '../observability/metrics.service';
import { BullJobQueue } from './bull/bull-job-queue';
import { EmbeddedJobQueue } from './embedded/embedded-job-queue';
import { JobQueue } from './job-queue';

export interface GatewayQueueModuleOptions {
  /** Unset: the embedded driver on the gateway's database. Set: Bull on this Redis. */
  redisUrl?: string;
}

const QUEUE_DATA_SOURCE = Symbol('QUEUE_DATA_SOURCE');

/**
 * TypeORM's SQLite driver has one connection: a transaction opened by the queue's group commit
 * would swallow (and on rollback, undo) any repository write issued meanwhile. On SQLite the
 * queue therefore gets a connection of its own to the same WAL database, and the busy timeout
 * serialises the two writers. PostgreSQL pools connections, so there the DataSource is shared.
 */
async function queueDataSource(dataSource: DataSource): Promise<DataSource> {
  if (dataSource.options.type !== 'sqlite') return dataSource;
  const own = new DataSource({ ...dataSource.options, migrationsRun: false });
  return own.initialize();
}

/** Closes the queue's own SQLite connection (the queue stopped before shutdown hooks run). */
@Injectable()
class QueueDataSourceCloser implements OnApplicationShutdown {
  constructor(
    @Inject(QUEUE_DATA_SOURCE) private readonly queueConnection: DataSource,
    private readonly shared: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.queueConnection !== this.shared && this.queueConnection.isInitialized) {
      await this.queueConnection.destroy();
    }
  }
}

@Module({})
export class GatewayQueueModule {
  static forRoot(options: GatewayQueueModuleOptions): DynamicModule {
    return {
      module: GatewayQueueModule,
      global: true,
      providers: [
        { provide: QUEUE_DATA_SOURCE, inject: [DataSource], useFactory: queueDataSource },
        {
          provide: JobQueue,
          inject: [QUEUE_DATA_SOURCE, MetricsService],
          useFactory: (dataSource: DataSource, metrics: MetricsService): JobQueue =>
            options.redisUrl
              ? new BullJobQueue(dataSource, { redisUrl: options.redisUrl, observer: metrics })
              : new EmbeddedJobQueue(dataSource, { observer: metrics }),
        },
        QueueDataSourceCloser,
      ],
      exports: [JobQueue],
    };
  }
}

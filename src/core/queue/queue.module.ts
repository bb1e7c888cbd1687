import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BullJobQueue } from './bull/bull-job-queue';
import { EmbeddedJobQueue } from './embedded/embedded-job-queue';
import { JobQueue } from './job-queue';
import type { QueueObserver } from './queue-observer';
import type { QueueDriverOptions } from './queue-options';

/** Optional provider of the observer (the metrics module provides it, globally). */
export const QUEUE_OBSERVER = Symbol('QUEUE_OBSERVER');
export const QUEUE_MODULE_OPTIONS = Symbol('QUEUE_MODULE_OPTIONS');

export interface QueueModuleOptions extends Omit<QueueDriverOptions, 'observer'> {
  /** Unset: the embedded driver on the gateway's database. Set: Bull on this Redis. */
  redisUrl?: string;
  /** Bull only: prefix of every Redis key (default 'gateway'). */
  redisPrefix?: string;
  /** Embedded only: lifetime of the single-process lease without heartbeat (default 15 s). */
  leaseTtlMs?: number;
  /** How long a graceful stop waits for in-flight jobs (default 10 s). */
  stopTimeoutMs?: number;
  /** Wins over a QUEUE_OBSERVER provider. */
  observer?: QueueObserver;
  /**
   * Start the queue at application bootstrap and stop it before shutdown (default true). The
   * gateway sets false: its own lifecycle stops the adapters first, then the queue.
   */
  manageLifecycle?: boolean;
}

export interface QueueModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...args: never[]) => QueueModuleOptions | Promise<QueueModuleOptions>;
}

/** Builds the driver the options ask for; usable without Nest too. */
export function createJobQueue(
  dataSource: DataSource,
  options: QueueModuleOptions,
  observer?: QueueObserver,
): JobQueue {
  const driver: QueueDriverOptions = { ...options, observer: options.observer ?? observer };
  if (options.redisUrl) {
    return new BullJobQueue(dataSource, {
      ...driver,
      redisUrl: options.redisUrl,
      prefix: options.redisPrefix,
    });
  }
  return new EmbeddedJobQueue(dataSource, { ...driver, leaseTtlMs: options.leaseTtlMs });
}

/**
 * Starts the queue once every module registered its handlers (application bootstrap) and stops
 * it before the database connection closes (TypeORM closes it on application shutdown).
 */
@Injectable()
export class QueueLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly queue: JobQueue,
    @Inject(QUEUE_MODULE_OPTIONS) private readonly options: QueueModuleOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.manageLifecycle !== false) await this.queue.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.options.manageLifecycle !== false) {
      await this.queue.stop(this.options.stopTimeoutMs ?? 10_000);
    }
  }
}

/**
 * Provides `JobQueue` (the abstract class is the injection token) with the embedded driver, or
 * Bull when `redisUrl` is set. Needs TypeORM's `DataSource` injectable (TypeOrmModule.forRoot).
 */
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions = {}): DynamicModule {
    return QueueModule.build([{ provide: QUEUE_MODULE_OPTIONS, useValue: options }]);
  }

  static forRootAsync(options: QueueModuleAsyncOptions): DynamicModule {
    const module = QueueModule.build([
      {
        provide: QUEUE_MODULE_OPTIONS,
        inject: options.inject ?? [],
        useFactory: options.useFactory,
      },
    ]);
    return { ...module, imports: options.imports ?? [] };
  }

  private static build(optionsProviders: Provider[]): DynamicModule {
    return {
      module: QueueModule,
      global: true,
      providers: [
        ...optionsProviders,
        {
          provide: JobQueue,
          inject: [DataSource, QUEUE_MODULE_OPTIONS, { token: QUEUE_OBSERVER, optional: true }],
          useFactory: (
            dataSource: DataSource,
            options: QueueModuleOptions,
            observer?: QueueObserver,
          ) => createJobQueue(dataSource, options, observer),
        },
        QueueLifecycle,
      ],
      exports: [JobQueue],
    };
  }
}

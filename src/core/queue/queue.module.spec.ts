import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions } from '../persistence/database-options';
import { EmbeddedJobQueue } from './embedded/embedded-job-queue';
import { JobQueue } from './job-queue';
import { QUEUE_OBSERVER, QueueModule } from './queue.module';
import type { QueueObserver } from './queue-observer';

const done: string[] = [];

@Injectable()
class GreetingProcessor implements OnModuleInit {
  constructor(private readonly queue: JobQueue) {}

  onModuleInit(): void {
    this.queue.registerHandler<string>('greetings', async (name) => {
      done.push(name);
    });
  }
}

@Module({ providers: [GreetingProcessor] })
class GreetingModule {}

const events: string[] = [];
const observer: QueueObserver = {
  onEnqueued: (e) => events.push(`enqueued ${e.queue}`),
  onCompleted: (e) => events.push(`completed ${e.queue}`),
};

/** Stands for the metrics module, which provides the observer globally. */
@Global()
@Module({ providers: [{ provide: QUEUE_OBSERVER, useValue: observer }], exports: [QUEUE_OBSERVER] })
class FakeMetricsModule {}

describe('QueueModule', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'queue-module-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('provides the embedded driver, starts it at bootstrap and reports to the observer', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(buildDataSourceOptions(`sqlite:${join(dir, 'gateway.sqlite')}`)),
        QueueModule.forRootAsync({ useFactory: () => ({ stopTimeoutMs: 1000 }) }),
        GreetingModule,
        FakeMetricsModule,
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    app.enableShutdownHooks();
    await app.init();
    const queue = app.get(JobQueue);
    expect(queue).toBeInstanceOf(EmbeddedJobQueue);
    await queue.enqueue('greetings', 'ada', { orderingKey: 'conv-1' });
    for (let i = 0; i < 200 && done.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(done).toEqual(['ada']);
    await app.close();
    expect(events).toEqual(['enqueued greetings', 'completed greetings']);
  });
});

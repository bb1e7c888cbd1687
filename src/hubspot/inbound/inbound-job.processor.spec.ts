import {
  RetryableError,
  type DeliveryStatusEvent,
  type InboundEvent,
  type InboundMessageEvent,
  type ReadReceiptEvent,
} from '../../core/adapter';
import { MetricsService } from '../../core/observability/metrics.service';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { PersistenceRepositories } from '../../core/persistence/repositories';
import {
  openRepositoryTestDb,
  type RepositoryTestDb,
} from '../../core/persistence/testing/repository-test-db';
import { INBOUND_QUEUE, inboundEventSource, type InboundJob } from '../../core/pipeline/queues';
import {
  JobQueue,
  type JobContext,
  type JobHandler,
  type QueueHandlerOptions,
  type QueueStats,
} from '../../core/queue/job-queue';
import { PlatformStatusHandler } from '../outbound/platform-status.handler';
import { ACCOUNT_CACHE_TTL_MS, InboundAccountCache } from './inbound-account.cache';
import {
  INBOUND_CONCURRENCY,
  InboundJobProcessor,
  UNBOUND_RETRY_MS,
} from './inbound-job.processor';
import type { InboundMessagePublisher } from './inbound-message.publisher';
import { jobContext, ManualClock, recordingLogger } from './testing/test-kit';

/** Keeps the registered handler; runs nothing by itself. */
class CapturingQueue extends JobQueue {
  handlers = new Map<string, { handler: JobHandler<unknown>; options?: QueueHandlerOptions }>();
  registerHandler<T>(queue: string, handler: JobHandler<T>, options?: QueueHandlerOptions): void {
    this.handlers.set(queue, { handler: handler as JobHandler<unknown>, options });
  }
  enqueue(): Promise<string> {
    throw new Error('not used');
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  stats(): Promise<QueueStats> {
    throw new Error('not used');
  }
  async replayDeadLetter(): Promise<boolean> {
    return false;
  }
}

class RecordingStatusHandler extends PlatformStatusHandler {
  calls: { account: ChannelAccount; event: InboundEvent; context: JobContext }[] = [];
  async handle(
    account: ChannelAccount,
    event: ReadReceiptEvent | DeliveryStatusEvent,
    context: JobContext,
  ): Promise<void> {
    this.calls.push({ account, event, context });
  }
}

describe('InboundJobProcessor', () => {
  let db: RepositoryTestDb;
  let repos: PersistenceRepositories;
  let queue: CapturingQueue;
  let statusHandler: RecordingStatusHandler;
  let published: { account: ChannelAccount; event: InboundMessageEvent }[];
  let clock: ManualClock;
  let records: Record<string, unknown>[];
  let processor: InboundJobProcessor;

  beforeAll(async () => {
    db = await openRepositoryTestDb();
    repos = db.repos;
  });

  afterAll(async () => {
    await db?.close();
  });

  beforeEach(() => {
    queue = new CapturingQueue();
    statusHandler = new RecordingStatusHandler();
    published = [];
    clock = new ManualClock();
    const recording = recordingLogger();
    records = recording.records;
    // Only `publish` is used by the processor; the publisher has its own tests.
    const publisher = {
      publish: async (account: ChannelAccount, event: InboundMessageEvent) => {
        published.push({ account, event });
      },
    } as unknown as InboundMessagePublisher;
    processor = new InboundJobProcessor(
      queue,
      new InboundAccountCache(repos.channelAccounts, clock),
      publisher,
      statusHandler,
      repos.processedEvents,
      new MetricsService(),
      recording.logger,
    );
    processor.onModuleInit();
  });

  const boundAccount = async () => {
    const created = await repos.channelAccounts.create({
      adapterId: 'echo',
      name: 'Bot',
      credentials: { token: 'secret-token' },
      status: 'active',
    });
    return repos.channelAccounts.bindHubSpotAccount(created.id, {
      portalId: '100',
      hubspotChannelId: '55',
      hubspotChannelAccountId: `hs-${created.id}`,
      authorized: true,
    });
  };

  const messageEvent: InboundMessageEvent = {
    type: 'message',
    eventId: 'evt-1',
    externalMessageId: 'm-1',
    conversation: { externalId: 'chat-1' },
    sender: { id: 'c-1' },
    text: 'hello',
    attachments: [],
    timestamp: '2026-03-01T10:00:00.000Z',
  };

  const run = (accountId: string, event: InboundEvent, context = jobContext()) =>
    processor.handle({ adapterId: 'echo', accountId, event } satisfies InboundJob, context);

  it('registers the inbound queue handler with enough concurrency for bursts', () => {
    expect(queue.handlers.get(INBOUND_QUEUE)?.options).toEqual({
      concurrency: INBOUND_CONCURRENCY,
    });
    expect(INBOUND_CONCURRENCY).toBeGreaterThanOrEqual(32);
  });

  it('hands customer messages to the publisher', async () => {
    const account = await boundAccount();
    await queue.handlers
      .get(INBOUND_QUEUE)
      ?.handler({ adapterId: 'echo', accountId: account.id, event: messageEvent }, jobContext());
    expect(published).toEqual([
      { account: expect.objectContaining({ id: account.id }), event: messageEvent },
    ]);
  });

  it('hands read receipts and delivery status to the status handler, then marks them processed', async () => {
    const account = await boundAccount();
    const read: ReadReceiptEvent = {
      type: 'read',
      eventId: 'read-1',
      conversation: { externalId: 'chat-1' },
      externalMessageIds: ['m-9'],
      upToAndIncluding: false,
      timestamp: '2026-03-01T10:00:00.000Z',
    };
    const status: DeliveryStatusEvent = {
      type: 'status',
      eventId: 'status-1',
      externalMessageId: 'm-9',
      status: 'FAILED',
      reason: 'unreachable',
      timestamp: '2026-03-01T10:00:00.000Z',
    };
    const context = jobContext({ attempt: 2 });
    await run(account.id, read, context);
    await run(account.id, status, context);
    expect(statusHandler.calls).toEqual([
      { account: expect.objectContaining({ id: account.id }), event: read, context },
      { account: expect.objectContaining({ id: account.id }), event: status, context },
    ]);
    const source = inboundEventSource(account.id);
    expect(await repos.processedEvents.isProcessed(source, 'read-1')).toBe(true);
    expect(await repos.processedEvents.isProcessed(source, 'status-1')).toBe(true);
    expect(published).toEqual([]);
  });

  it('drops events of unknown and deleted accounts with a warning', async () => {
    await run('00000000-0000-4000-8000-000000000000', messageEvent);
    const account = await boundAccount();
    await repos.channelAccounts.markDeleted(account.id);
    await run(account.id, messageEvent);
    expect(published).toEqual([]);
    expect(records.filter((r) => String(r.msg).includes('deleted or unknown'))).toHaveLength(2);
  });

  it('retries while the account is not bound or not authorized, then publishes', async () => {
    const created = await repos.channelAccounts.create({
      adapterId: 'echo',
      name: 'Pending',
      credentials: { token: 'secret-token' },
    });
    const pending = run(created.id, messageEvent);
    await expect(pending).rejects.toBeInstanceOf(RetryableError);
    await expect(pending).rejects.toMatchObject({ retryAfterMs: UNBOUND_RETRY_MS });

    await repos.channelAccounts.bindHubSpotAccount(created.id, {
      portalId: '100',
      hubspotChannelId: '55',
      hubspotChannelAccountId: `hs-${created.id}`,
      authorized: false,
    });
    await expect(run(created.id, messageEvent)).rejects.toThrow('not authorized');
    await repos.channelAccounts.setAuthorized(created.id, true);
    await run(created.id, messageEvent);
    expect(published).toHaveLength(1);
  });

  it('reads an account once per few seconds, however many events arrive', async () => {
    const account = await boundAccount();
    const reads = jest.spyOn(repos.channelAccounts, 'findById');
    await Promise.all(Array.from({ length: 20 }, () => run(account.id, messageEvent)));
    expect(reads).toHaveBeenCalledTimes(1);
    clock.advance(ACCOUNT_CACHE_TTL_MS);
    await run(account.id, messageEvent);
    expect(reads).toHaveBeenCalledTimes(2);
    reads.mockRestore();
  });
});

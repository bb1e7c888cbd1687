import pino from 'pino';
import { RetryableError } from '../../core/adapter';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { Conversation } from '../../core/persistence/models/conversation.model';
import type { JobContext } from '../../core/queue/job-queue';
import type { HubSpotStatusReporter } from './hubspot-status-reporter';
import { PlatformStatusService, UNKNOWN_MESSAGE_ATTEMPTS } from './platform-status.service';
import {
  openOutboundTestDb,
  type OutboundTestDb,
  TEST_CHANNEL,
  TEST_PORTAL,
} from './testing/outbound-test-db';
import { RecordingReporter } from './testing/recording-reporter';

const context = (attempt = 1, maxAttempts = 8): JobContext => ({
  jobId: 'job',
  queue: 'inbound',
  attempt,
  maxAttempts,
  signal: new AbortController().signal,
});

describe('PlatformStatusService', () => {
  let db: OutboundTestDb;
  let account: ChannelAccount;
  let chat: Conversation;
  let reporter: RecordingReporter;
  let service: PlatformStatusService;
  let clock = Date.parse('2026-01-01T00:00:00Z');

  /** An agent message already sent on the platform as `externalIds`. */
  const sent = async (hubspotId: string, ...externalIds: string[]) => {
    clock += 1000;
    const { message } = await db.repos.messages.recordOutbound(
      {
        accountId: account.id,
        conversationId: chat.id,
        idempotencyKey: hubspotId,
        hubspotMessageId: hubspotId,
      },
      new Date(clock),
    );
    await db.repos.messages.markSent(message.id, externalIds);
    return message;
  };
  const statusOf = async (hubspotId: string) =>
    (await db.repos.messages.findByHubSpotId(hubspotId))?.status;
  const read = (ids: string[], upToAndIncluding: boolean, chatId = chat.externalId) => ({
    type: 'read' as const,
    eventId: `read-${ids.join(',')}`,
    conversation: { externalId: chatId },
    externalMessageIds: ids,
    upToAndIncluding,
    timestamp: new Date().toISOString(),
  });
  const status = (
    externalMessageId: string,
    value: 'SENT' | 'FAILED' | 'READ',
    reason?: string,
  ) => ({
    type: 'status' as const,
    eventId: `status-${externalMessageId}-${value}`,
    externalMessageId,
    status: value,
    ...(reason !== undefined && { reason }),
    timestamp: new Date().toISOString(),
  });

  // A fresh database per test: HubSpot message ids are unique across the table.
  beforeEach(async () => {
    db = await openOutboundTestDb();
    account = await db.boundAccount('acc-1');
    chat = await db.conversation(account, 'chat-1', { threadId: 'thread-1' });
    reporter = new RecordingReporter();
    service = new PlatformStatusService(
      db.repos.conversations,
      db.repos.messages,
      reporter as unknown as HubSpotStatusReporter,
      pino({ enabled: false }),
    );
  });
  afterEach(() => db.close());

  it('a read receipt "up to" marks that message and the earlier SENT ones READ and reports each', async () => {
    await sent('h1', 'e1');
    await sent('h2', 'e2a', 'e2b');
    await sent('h3', 'e3');
    await service.handle(account, read(['e2b'], true), context());
    expect(await statusOf('h1')).toBe('READ');
    expect(await statusOf('h2')).toBe('READ');
    expect(await statusOf('h3')).toBe('SENT');
    expect(reporter.calls.map((c) => [c.messageId, c.status])).toEqual([
      ['h1', 'READ'],
      ['h2', 'READ'],
    ]);
    expect(reporter.calls[0]).toMatchObject({ portalId: TEST_PORTAL, channelId: TEST_CHANNEL });
    // The same receipt again changes nothing and reports nothing.
    await service.handle(account, read(['e2b'], true), context());
    expect(reporter.calls).toHaveLength(2);
  });

  it('a receipt naming messages marks only those; unknown ids and customer messages are ignored', async () => {
    await sent('h1', 'e1');
    await sent('h2', 'e2');
    await db.repos.messages.recordInbound({
      accountId: account.id,
      conversationId: chat.id,
      idempotencyKey: 'in-1',
      externalMessageId: 'c1',
    });
    await service.handle(account, read(['e2', 'nope', 'c1'], false), context());
    expect(await statusOf('h1')).toBe('SENT');
    expect(await statusOf('h2')).toBe('READ');
    expect(reporter.statuses('h2')).toEqual(['READ']);
    expect(reporter.calls).toHaveLength(1);
  });

  it('a receipt for a conversation the gateway does not know changes nothing', async () => {
    await sent('h1', 'e1');
    await service.handle(account, read(['e1'], true, 'other-chat'), context());
    expect(await statusOf('h1')).toBe('SENT');
    expect(reporter.calls).toEqual([]);
  });

  it('a failed READ report is retried: the retry reports the named message again', async () => {
    await sent('h1', 'e1');
    reporter.failWith(new RetryableError('HubSpot 503'));
    await expect(service.handle(account, read(['e1'], false), context(1))).rejects.toThrow(
      'HubSpot 503',
    );
    expect(await statusOf('h1')).toBe('READ');
    await service.handle(account, read(['e1'], false), context(2));
    expect(reporter.statuses('h1')).toEqual(['READ']);
  });

  it('delivery status SENT, FAILED and READ are stored and reported; a late SENT never undoes READ', async () => {
    await sent('h1', 'e1');
    await sent('h2', 'e2');
    await service.handle(account, status('e1', 'SENT'), context());
    expect(reporter.statuses('h1')).toEqual(['SENT']);

    await service.handle(
      account,
      status('e2', 'FAILED', 'Carrier rejected the message'),
      context(),
    );
    expect(await db.repos.messages.findByHubSpotId('h2')).toMatchObject({
      status: 'FAILED',
      failureReason: 'Carrier rejected the message',
    });
    expect(reporter.calls.at(-1)).toMatchObject({
      messageId: 'h2',
      status: 'FAILED',
      errorMessage: 'Carrier rejected the message',
    });

    await service.handle(account, status('e1', 'READ'), context());
    await service.handle(account, status('e1', 'SENT'), context());
    expect(await statusOf('h1')).toBe('READ');
    expect(reporter.statuses('h1')).toEqual(['SENT', 'READ']);
  });

  it('a FAILED status without a reason still tells the agent something', async () => {
    await sent('h1', 'e1');
    await service.handle(account, status('e1', 'FAILED'), context());
    expect(reporter.calls[0]).toMatchObject({
      status: 'FAILED',
      errorMessage: 'the platform reported a failure',
    });
  });

  it('a status for a message not recorded yet is retried a few times, then dropped', async () => {
    await expect(
      service.handle(account, status('ghost', 'SENT'), context(1)),
    ).rejects.toBeInstanceOf(RetryableError);
    await expect(
      service.handle(account, status('ghost', 'SENT'), context(UNKNOWN_MESSAGE_ATTEMPTS)),
    ).resolves.toBeUndefined();
    // Never on the queue's last attempt: that would dead-letter a harmless event.
    await expect(
      service.handle(account, status('ghost', 'SENT'), context(3, 3)),
    ).resolves.toBeUndefined();
    expect(reporter.calls).toEqual([]);
  });

  it('a status that overtook its send is applied once the send recorded the platform id', async () => {
    const { message } = await db.repos.messages.recordOutbound({
      accountId: account.id,
      conversationId: chat.id,
      idempotencyKey: 'h-late',
      hubspotMessageId: 'h-late',
    });
    await expect(service.handle(account, status('e-late', 'SENT'), context(1))).rejects.toThrow(
      'not recorded',
    );
    await db.repos.messages.markSent(message.id, ['e-late']);
    await service.handle(account, status('e-late', 'SENT'), context(2));
    expect(reporter.statuses('h-late')).toEqual(['SENT']);
  });

  it('an account not bound to HubSpot updates the messages but reports nothing', async () => {
    await sent('h1', 'e1');
    const unbound = { ...account, portalId: undefined, hubspotChannelId: undefined };
    await service.handle(unbound, read(['e1'], false), context());
    expect(await statusOf('h1')).toBe('READ');
    expect(reporter.calls).toEqual([]);
  });
});

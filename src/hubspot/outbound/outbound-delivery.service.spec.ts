import { Readable } from 'node:stream';
import pino from 'pino';
import {
  type AccountContext,
  type AdapterManifest,
  type ChannelAdapter,
  type OutboundAttachment,
  type OutboundMessage,
  PermanentError,
  RateLimitedError,
  RetryableError,
  type SendResult,
} from '../../core/adapter';
import type { GatewayConfig } from '../../core/config/gateway-config';
import { MetricsService } from '../../core/observability/metrics.service';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { Conversation } from '../../core/persistence/models/conversation.model';
import type { JobContext } from '../../core/queue/job-queue';
import type { AccountDirectory, ReceivingAccount } from '../../core/plugins/account-directory';
import type { AdapterSupervisor } from '../../core/plugins/adapter-supervisor';
import type { OutgoingMessageJob } from '../webhook/hubspot-event';
import type { AgentAttachmentSource } from './agent-attachment-source';
import type { AgentFile } from './agent-message';
import { DeliveryTargetResolver } from './delivery-target.resolver';
import type { HubSpotStatusReporter } from './hubspot-status-reporter';
import { OutboundDeliveryService } from './outbound-delivery.service';
import { OutboundMessageBuilder } from './outbound-message-builder';
import {
  openOutboundTestDb,
  type OutboundTestDb,
  TEST_CHANNEL,
  TEST_PORTAL,
} from './testing/outbound-test-db';
import { RecordingReporter } from './testing/recording-reporter';

const MANIFEST: AdapterManifest = {
  id: 'echo',
  displayName: 'Echo',
  description: 'test',
  version: '1.0.0',
  deliveryIdentifierType: 'CHANNEL_SPECIFIC_OPAQUE_ID',
  credentials: [],
  inbound: { attachments: [], edits: false, replies: false },
  outbound: {
    formatting: 'plain',
    richText: [],
    attachments: ['image'],
    allowedMimeTypes: ['image/*'],
    maxAttachmentCount: 1,
    maxAttachmentSizeBytes: 1000,
    maxTextLength: 1000,
    replies: true,
    readReceipts: true,
    asyncDeliveryStatus: false,
  },
};

/** An adapter whose next sends answer what the test scripted (default: one new platform id). */
class ScriptedAdapter implements Partial<ChannelAdapter> {
  readonly manifest = MANIFEST;
  readonly sent: OutboundMessage[] = [];
  private readonly script: (SendResult | Error)[] = [];

  next(...outcomes: (SendResult | Error)[]): void {
    this.script.push(...outcomes);
  }

  send(_account: AccountContext, message: OutboundMessage): Promise<SendResult> {
    const outcome = this.script.shift() ?? { externalMessageIds: [`p-${this.sent.length + 1}`] };
    if (outcome instanceof Error) return Promise.reject(outcome);
    this.sent.push(message);
    return Promise.resolve(outcome);
  }
}

const context = (attempt = 1, maxAttempts = 10): JobContext => ({
  jobId: 'job',
  queue: 'hubspot-outgoing',
  attempt,
  maxAttempts,
  signal: new AbortController().signal,
});

describe('OutboundDeliveryService', () => {
  let db: OutboundTestDb;
  let account: ChannelAccount;
  let chat: Conversation;
  let adapter: ScriptedAdapter;
  let adapterRunning: boolean;
  let reporter: RecordingReporter;
  let service: OutboundDeliveryService;

  const job = (
    messageId: string,
    message: Record<string, unknown> = {},
    channelAccountId = 'acc-1',
  ): OutgoingMessageJob => ({
    portalId: TEST_PORTAL,
    channelId: TEST_CHANNEL,
    channelAccountId,
    messageId,
    dedupeKey: `OUTGOING_CHANNEL_MESSAGE_CREATED:${messageId}`,
    receivedAt: new Date().toISOString(),
    event: {
      type: 'OUTGOING_CHANNEL_MESSAGE_CREATED',
      portalId: TEST_PORTAL,
      channelId: TEST_CHANNEL,
      channelIntegrationThreadIds: ['it-1'],
      message: {
        id: messageId,
        direction: 'OUTGOING',
        conversationsThreadId: 't-1',
        text: `reply ${messageId}`,
        senders: [{ actorId: 'A-1', name: 'Ada Agent' }],
        ...message,
      },
    },
  });
  const stored = (hubspotId: string) => db.repos.messages.findByHubSpotId(hubspotId);

  beforeEach(async () => {
    db = await openOutboundTestDb();
    account = await db.boundAccount('acc-1');
    chat = await db.conversation(account, 'chat-1', { threadId: 't-1', integrationId: 'it-1' });
    adapter = new ScriptedAdapter();
    adapterRunning = true;
    reporter = new RecordingReporter();
    const supervisor = {
      getAdapter: (id: string) => (adapterRunning && id === 'echo' ? adapter : undefined),
      contextForSending: (receiving: ReceivingAccount) => ({ accountId: receiving.id }),
    };
    const directory = {
      findReceivingAccount: async (id: string): Promise<ReceivingAccount | undefined> => {
        const found = await db.repos.channelAccounts.findById(id);
        return found && found.status === 'active' && found.authorized
          ? { ...found, settings: found.settings }
          : undefined;
      },
    };
    const attachments = {
      prepare: (_portal: string, files: readonly AgentFile[]): Promise<OutboundAttachment[]> =>
        Promise.resolve(
          files.map((file) => ({
            kind: 'image' as const,
            fileName: file.name ?? 'x.png',
            mimeType: file.name?.endsWith('.pdf') ? 'application/pdf' : 'image/png',
            open: () => Promise.resolve(Readable.from([Buffer.from('bytes')])),
          })),
        ),
    };
    service = new OutboundDeliveryService(
      new DeliveryTargetResolver(
        db.repos.channelAccounts,
        db.repos.conversations,
        db.repos.messages,
      ),
      new OutboundMessageBuilder(
        attachments as unknown as AgentAttachmentSource,
        db.repos.messages,
      ),
      db.repos.messages,
      db.repos.conversations,
      reporter as unknown as HubSpotStatusReporter,
      supervisor as unknown as AdapterSupervisor,
      directory as unknown as AccountDirectory,
      new MetricsService(),
      { HUBSPOT_APP_ID: '4242' } as GatewayConfig,
      pino({ enabled: false }),
    );
  });
  afterEach(() => db.close());

  it('sends to the conversation, stores the platform ids and reports SENT', async () => {
    await service.deliver(job('hs-1'), context());
    expect(adapter.sent).toHaveLength(1);
    expect(adapter.sent[0]).toMatchObject({
      idempotencyKey: 'hs-1',
      conversation: { externalId: 'chat-1' },
      text: 'reply hs-1',
      agentName: 'Ada Agent',
    });
    expect(await stored('hs-1')).toMatchObject({
      status: 'SENT',
      externalMessageIds: ['p-1'],
      conversationId: chat.id,
      hubspotThreadId: 't-1',
      direction: 'OUTGOING',
    });
    expect(reporter.calls).toEqual([
      { portalId: TEST_PORTAL, channelId: TEST_CHANNEL, messageId: 'hs-1', status: 'SENT' },
    ]);
    expect((await db.repos.conversations.findById(chat.id))?.lastMessageAt).toBeDefined();
  });

  it('never sends a redelivered message twice, but reports its status again', async () => {
    await service.deliver(job('hs-1'), context());
    await service.deliver(job('hs-1'), context());
    expect(adapter.sent).toHaveLength(1);
    expect(reporter.statuses('hs-1')).toEqual(['SENT', 'SENT']);
  });

  it('a failed SENT report is retried without sending again', async () => {
    reporter.failWith(new RetryableError('HubSpot 502'));
    await expect(service.deliver(job('hs-1'), context(1))).rejects.toThrow('HubSpot 502');
    expect((await stored('hs-1'))?.status).toBe('SENT');
    await service.deliver(job('hs-1'), context(2));
    expect(adapter.sent).toHaveLength(1);
    expect(reporter.statuses('hs-1')).toEqual(['SENT']);
  });

  it('maps the replied-to message to its platform id', async () => {
    await service.deliver(job('hs-1'), context());
    await service.deliver(job('hs-2', { inReplyToId: 'hs-1' }), context());
    expect(adapter.sent[1].inReplyToExternalId).toBe('p-1');
  });

  it('a permanent platform error ends FAILED with its reason, without a retry', async () => {
    adapter.next(new PermanentError('The customer blocked this bot'));
    await service.deliver(job('hs-1'), context());
    expect(await stored('hs-1')).toMatchObject({
      status: 'FAILED',
      failureReason: 'The customer blocked this bot',
    });
    expect(reporter.calls).toEqual([
      expect.objectContaining({ status: 'FAILED', errorMessage: 'The customer blocked this bot' }),
    ]);
  });

  it('retries retryable errors; the last attempt reports FAILED and dead-letters; a replay sends', async () => {
    const limited = new RateLimitedError('429 Too Many Requests', 3000);
    adapter.next(limited);
    await expect(service.deliver(job('hs-1'), context(1))).rejects.toBe(limited);
    expect((await stored('hs-1'))?.status).toBe('PENDING');
    expect(reporter.calls).toEqual([]);

    adapter.next(new RetryableError('Echo 500'));
    await expect(service.deliver(job('hs-1'), context(10, 10))).rejects.toThrow('Echo 500');
    const reason = 'could not deliver after 10 attempts: Echo 500';
    expect(await stored('hs-1')).toMatchObject({ status: 'FAILED', failureReason: reason });
    expect(reporter.calls).toEqual([
      expect.objectContaining({ status: 'FAILED', errorMessage: reason }),
    ]);

    // An operator replays the dead letter: it starts over and FAILED becomes SENT.
    await service.deliver(job('hs-1'), context(1));
    expect((await stored('hs-1'))?.status).toBe('SENT');
    expect(reporter.statuses('hs-1')).toEqual(['FAILED', 'SENT']);
  });

  it('on the last attempt a failing FAILED report does not hide the delivery error', async () => {
    adapter.next(new RetryableError('Echo 500'));
    reporter.failWith(new RetryableError('HubSpot 503'));
    await expect(service.deliver(job('hs-1'), context(3, 3))).rejects.toThrow('Echo 500');
    expect((await stored('hs-1'))?.status).toBe('FAILED');
  });

  it('leaves the status to the platform when it reports delivery later', async () => {
    adapter.next({ externalMessageIds: ['sms-1'], pendingDeliveryStatus: true });
    await service.deliver(job('hs-1'), context());
    expect(await stored('hs-1')).toMatchObject({ externalMessageIds: ['sms-1'] });
    expect(reporter.calls).toEqual([]);
  });

  it('a plugin that is not running is retried, then FAILED with a clear reason', async () => {
    adapterRunning = false;
    await expect(service.deliver(job('hs-1'), context(1))).rejects.toBeInstanceOf(RetryableError);
    await expect(service.deliver(job('hs-1'), context(10, 10))).rejects.toBeInstanceOf(
      RetryableError,
    );
    expect(await stored('hs-1')).toMatchObject({
      status: 'FAILED',
      failureReason:
        'could not deliver after 10 attempts: the echo plugin is not running in this gateway',
    });
  });

  it('an attachment the adapter cannot send fails the message with the reason', async () => {
    await service.deliver(
      job('hs-1', {
        attachments: [{ type: 'FILE', fileId: '1', fileUsageType: 'OTHER', name: 'a.pdf' }],
      }),
      context(),
    );
    expect(adapter.sent).toEqual([]);
    expect(reporter.calls).toEqual([
      expect.objectContaining({
        status: 'FAILED',
        errorMessage: 'Echo does not accept files of type application/pdf (a.pdf)',
      }),
    ]);
  });

  it('a deactivated account fails the reply with "channel deactivated"', async () => {
    await db.repos.channelAccounts.setAuthorized(account.id, false);
    await service.deliver(job('hs-1'), context());
    expect(adapter.sent).toEqual([]);
    expect(await stored('hs-1')).toMatchObject({
      status: 'FAILED',
      failureReason: 'channel deactivated',
    });
    expect(reporter.calls).toEqual([
      expect.objectContaining({ status: 'FAILED', errorMessage: 'channel deactivated' }),
    ]);
  });

  it('a message already SENT stays SENT even if the account was deactivated since', async () => {
    await service.deliver(job('hs-1'), context());
    await db.repos.channelAccounts.setAuthorized(account.id, false);
    await service.deliver(job('hs-1'), context());
    expect((await stored('hs-1'))?.status).toBe('SENT');
    expect(reporter.statuses('hs-1')).toEqual(['SENT', 'SENT']);
  });

  it('a reply in a thread no customer opened is FAILED in HubSpot (nothing stored)', async () => {
    const orphan = job('hs-2', { conversationsThreadId: 't-unknown' });
    orphan.event.channelIntegrationThreadIds = [];
    await service.deliver(orphan, context());
    expect(await stored('hs-2')).toBeUndefined();
    expect(reporter.calls.at(-1)).toMatchObject({
      messageId: 'hs-2',
      status: 'FAILED',
      errorMessage: expect.stringMatching(/^conversation not found/) as unknown,
    });
  });

  it('drops messages of unknown accounts and messages this app published itself', async () => {
    await service.deliver(job('hs-1', {}, 'acc-404'), context());
    await service.deliver(
      job('hs-2', { client: { clientType: 'INTEGRATION', integrationAppId: 4242 } }),
      context(),
    );
    expect(adapter.sent).toEqual([]);
    expect(reporter.calls).toEqual([]);
    expect(await stored('hs-1')).toBeUndefined();
    expect(await stored('hs-2')).toBeUndefined();
  });
});

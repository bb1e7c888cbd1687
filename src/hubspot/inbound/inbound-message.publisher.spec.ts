import {
  PermanentError,
  RetryableError,
  type DeliveryIdentifierType,
  type InboundMessageEvent,
} from '../../core/adapter';
import { MetricsService } from '../../core/observability/metrics.service';
import type { ChannelAccount } from '../../core/persistence/models/channel-account.model';
import type { PersistenceRepositories } from '../../core/persistence/repositories';
import {
  openRepositoryTestDb,
  type RepositoryTestDb,
} from '../../core/persistence/testing/repository-test-db';
import { HubSpotApiError } from '../client/errors';
import type { AttachmentSource } from './attachment-uploader.service';
import { AttachmentUploader } from './attachment-uploader.service';
import { ContactResolver } from './contact-resolver.service';
import { HubSpotPortals, type InboundPortalApi } from './hubspot-portals';
import { firstIntegrationThreadId, integrationIdempotencyIdOf } from './inbound-ids';
import { InboundMessagePublisher } from './inbound-message.publisher';
import { PublishedInboundRecorder } from './published-inbound.recorder';
import { PlatformAccess } from './platform-access';
import { isPublishable, type PublishableAccount } from './publishable-account';
import { FakePortal, streamOf } from './testing/fake-portal';
import { jobContext, ManualClock, recordingLogger } from './testing/test-kit';
import { ThreadResolver } from './thread-resolver.service';
import { ThreadStatusChecker } from './thread-status.checker';
import { TicketRecorder } from './ticket-recorder.service';

const HOUR = 60 * 60_000;
const t0 = Date.parse('2026-03-01T10:00:00.000Z');

class FakePortals extends HubSpotPortals {
  constructor(private readonly portal: InboundPortalApi) {
    super();
  }
  forPortal(): InboundPortalApi {
    return this.portal;
  }
}

class FakePlatform extends PlatformAccess {
  type: DeliveryIdentifierType = 'CHANNEL_SPECIFIC_OPAQUE_ID';
  openFailure?: Error;
  identifierTypeOf(): DeliveryIdentifierType {
    return this.type;
  }
  attachmentSource(): AttachmentSource {
    return {
      open: async (attachment) => {
        if (this.openFailure) throw this.openFailure;
        return {
          stream: streamOf(Buffer.from(`bytes of ${attachment.ref}`)),
          fileName: attachment.fileName ?? 'file.bin',
          mimeType: attachment.mimeType ?? 'application/octet-stream',
        };
      },
    };
  }
}

describe('InboundMessagePublisher (SQLite, fake HubSpot)', () => {
  let db: RepositoryTestDb;
  let repos: PersistenceRepositories;
  let portal: FakePortal;
  let platform: FakePlatform;
  let clock: ManualClock;
  let records: Record<string, unknown>[];
  let publisher: InboundMessagePublisher;
  let sequence = 0;

  beforeAll(async () => {
    db = await openRepositoryTestDb();
    repos = db.repos;
  });

  afterAll(async () => {
    await db?.close();
  });

  beforeEach(() => {
    portal = new FakePortal();
    platform = new FakePlatform();
    clock = new ManualClock(t0);
    const recording = recordingLogger();
    records = recording.records;
    const logger = recording.logger;
    publisher = new InboundMessagePublisher(
      new FakePortals(portal),
      platform,
      repos.conversations,
      repos.messages,
      new PublishedInboundRecorder(repos.messages, repos.conversations),
      new ThreadResolver(new ThreadStatusChecker(clock)),
      new AttachmentUploader(logger, clock),
      new ContactResolver(logger, clock),
      new TicketRecorder(repos.conversations, logger, clock),
      new MetricsService(),
      clock,
      logger,
    );
  });

  const newAccount = async (
    settings: Record<string, unknown> = {},
  ): Promise<PublishableAccount> => {
    const created = await repos.channelAccounts.create({
      adapterId: 'echo',
      name: 'Bot',
      credentials: { token: 'secret-token' },
      settings,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot-1' },
    });
    const bound: ChannelAccount = await repos.channelAccounts.bindHubSpotAccount(created.id, {
      portalId: '100',
      hubspotChannelId: '55',
      hubspotChannelAccountId: `700${sequence++}`,
      authorized: true,
    });
    if (!isPublishable(bound)) throw new Error('not publishable');
    return bound;
  };

  const message = (overrides: Partial<InboundMessageEvent> = {}): InboundMessageEvent => {
    const n = ++sequence;
    return {
      type: 'message',
      eventId: `evt-${n}`,
      externalMessageId: `m-${n}`,
      conversation: { externalId: 'chat-1' },
      sender: { id: 'cust-1', displayName: 'Ada' },
      text: `text ${n}`,
      attachments: [],
      timestamp: new Date(clock.now()).toISOString(),
      ...overrides,
    };
  };

  const conversationOf = async (account: PublishableAccount, externalId = 'chat-1') =>
    repos.conversations.findByExternalId(account.id, externalId);

  const storedOf = async (account: PublishableAccount, event: InboundMessageEvent) =>
    repos.messages.findByIdempotencyKey(`in:${account.id}:${event.eventId}`);

  it('publishes a message and records message, thread, ticket, activity and the event', async () => {
    const account = await newAccount();
    const event = message({ html: '<b>hi</b>', text: 'hi' });
    await publisher.publish(account, event, jobContext());

    expect(portal.published).toEqual([
      {
        channelAccountId: account.hubspotChannelAccountId,
        messageDirection: 'INCOMING',
        integrationThreadId: firstIntegrationThreadId(account.id, 'chat-1'),
        integrationIdempotencyId: integrationIdempotencyIdOf(account.id, event.eventId),
        senders: [
          {
            deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'cust-1' },
            name: 'Ada',
          },
        ],
        recipients: [
          { deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot-1' } },
        ],
        text: 'hi',
        richText: '<b>hi</b>',
        timestamp: event.timestamp,
        attachments: [],
      },
    ]);
    const thread = portal.threadById((await storedOf(account, event))?.hubspotThreadId ?? '');
    expect(await storedOf(account, event)).toMatchObject({
      status: 'PUBLISHED',
      hubspotMessageId: portal.answers[0]?.id,
      externalMessageIds: [event.externalMessageId],
    });
    expect(await conversationOf(account)).toMatchObject({
      hubspotThreadId: thread?.id,
      hubspotTicketId: thread?.ticketId,
      integrationThreadId: firstIntegrationThreadId(account.id, 'chat-1'),
      lastInboundAt: new Date(event.timestamp),
      lastMessageAt: new Date(event.timestamp),
    });
  });

  it('does nothing more for an event whose message is already published', async () => {
    const account = await newAccount();
    const event = message();
    await publisher.publish(account, event, jobContext());
    await publisher.publish(account, event, jobContext({ attempt: 2 }));
    expect(portal.published).toHaveLength(1);
    expect(await storedOf(account, event)).toMatchObject({ status: 'PUBLISHED' });
  });

  it('a retry after a lost answer publishes the same idempotency id: one HubSpot message', async () => {
    const account = await newAccount();
    const event = message();
    portal.lostAnswers.push(new RetryableError('socket hang up'));
    await expect(publisher.publish(account, event, jobContext())).rejects.toThrow('hang up');
    // Nothing is recorded before HubSpot accepted the message.
    expect(await storedOf(account, event)).toBeUndefined();
    expect((await conversationOf(account))?.hubspotThreadId).toBeUndefined();

    await publisher.publish(account, event, jobContext({ attempt: 2 }));
    expect(portal.published).toHaveLength(2);
    expect(portal.published[1]).toEqual(portal.published[0]);
    expect(portal.answers).toHaveLength(1);
    expect(await storedOf(account, event)).toMatchObject({
      status: 'PUBLISHED',
      hubspotMessageId: portal.answers[0]?.id,
    });
  });

  it('counts HubSpot 409 on a replayed idempotency id as success, without HubSpot ids', async () => {
    const account = await newAccount();
    const event = message({ conversation: { externalId: 'chat-409' } });
    portal.failures.publish = [
      new HubSpotApiError('already exists', {
        status: 409,
        category: 'CONFLICT',
        operation: 'POST /conversations/v3/custom-channels/55/messages',
      }),
    ];
    await publisher.publish(account, event, jobContext());
    const stored = await storedOf(account, event);
    expect(stored).toMatchObject({ status: 'PUBLISHED' });
    expect(stored?.hubspotMessageId).toBeUndefined();
    // A redelivery of the event is not published again.
    await publisher.publish(account, event, jobContext());
    expect(portal.published).toHaveLength(1);
    expect((await conversationOf(account, 'chat-409'))?.lastInboundAt).toEqual(
      new Date(event.timestamp),
    );
    expect(records.some((r) => String(r.msg).includes('409 on a replayed idempotency id'))).toBe(
      true,
    );
  });

  it('lets a refused message fail the job (dead letter) and logs the reason', async () => {
    const account = await newAccount();
    const event = message({ conversation: { externalId: 'chat-400' } });
    portal.failures.publish = [
      new HubSpotApiError('senders[0].deliveryIdentifier is invalid', {
        status: 400,
        category: 'VALIDATION_ERROR',
        operation: 'POST /conversations/v3/custom-channels/55/messages',
      }),
    ];
    await expect(publisher.publish(account, event, jobContext())).rejects.toBeInstanceOf(
      PermanentError,
    );
    expect(await storedOf(account, event)).toBeUndefined();
    const logged = records.find((r) => String(r.msg).includes('HubSpot refused'));
    expect(String(logged?.reason)).toContain('deliveryIdentifier is invalid');
  });

  it('after-silence: a new thread (and ticket) once the chat was silent for silenceHours', async () => {
    const account = await newAccount({ threading: { mode: 'after-silence', silenceHours: 2 } });
    const first = message();
    await publisher.publish(account, first, jobContext());
    clock.advance(HOUR);
    const second = message();
    await publisher.publish(account, second, jobContext());
    const before = await conversationOf(account);
    expect(portal.published[1]?.integrationThreadId).toBe(portal.published[0]?.integrationThreadId);

    clock.advance(2 * HOUR);
    const third = message();
    // The first try of the new thread fails; the retry must ask for the same thread.
    portal.failures.publish = [new RetryableError('HubSpot 503')];
    await expect(publisher.publish(account, third, jobContext())).rejects.toThrow('503');
    await publisher.publish(account, third, jobContext({ attempt: 2 }));

    const after = await conversationOf(account);
    const newThreadId = portal.published[2]?.integrationThreadId;
    expect(newThreadId).not.toBe(before?.integrationThreadId);
    expect(portal.published[3]?.integrationThreadId).toBe(newThreadId);
    expect(after?.integrationThreadId).toBe(newThreadId);
    expect(after?.hubspotThreadId).not.toBe(before?.hubspotThreadId);
    expect(after?.hubspotTicketId).toBe(portal.threadById(after?.hubspotThreadId ?? '')?.ticketId);
    expect(after?.hubspotTicketId).not.toBe(before?.hubspotTicketId);

    clock.advance(HOUR);
    await publisher.publish(account, message(), jobContext());
    expect(portal.published[4]?.integrationThreadId).toBe(newThreadId);
  });

  it('after-ticket-closed: asks HubSpot at most every 30 s while open, a new thread once closed', async () => {
    const account = await newAccount({ threading: { mode: 'after-ticket-closed' } });
    const chat = { externalId: 'chat-tc' };
    await publisher.publish(account, message({ conversation: chat }), jobContext());
    const statusGets = () => portal.threadGets.filter((g) => g.query.association === undefined);
    await publisher.publish(account, message({ conversation: chat }), jobContext());
    await publisher.publish(account, message({ conversation: chat }), jobContext());
    expect(statusGets()).toHaveLength(1);

    const first = await conversationOf(account, 'chat-tc');
    clock.advance(30_000);
    const thread = portal.threadById(first?.hubspotThreadId ?? '');
    if (thread) thread.status = 'CLOSED';
    await publisher.publish(account, message({ conversation: chat }), jobContext());
    expect(statusGets()).toHaveLength(2);
    const second = await conversationOf(account, 'chat-tc');
    expect(second?.integrationThreadId).not.toBe(first?.integrationThreadId);
    expect(second?.hubspotThreadId).not.toBe(first?.hubspotThreadId);
    expect(second?.hubspotTicketId).toBe(
      portal.threadById(second?.hubspotThreadId ?? '')?.ticketId,
    );
  });

  it('replies and edits point at the earlier message with inReplyToId', async () => {
    const account = await newAccount();
    const chat = { externalId: 'chat-replies' };
    const original = message({ conversation: chat, text: 'original' });
    await publisher.publish(account, original, jobContext());
    const originalId = (await storedOf(account, original))?.hubspotMessageId;

    await publisher.publish(
      account,
      message({ conversation: chat, inReplyToExternalId: original.externalMessageId }),
      jobContext(),
    );
    expect(portal.published[1]?.inReplyToId).toBe(originalId);

    await publisher.publish(
      account,
      message({
        conversation: chat,
        externalMessageId: original.externalMessageId,
        editOf: { externalMessageId: original.externalMessageId },
        text: 'original, fixed',
      }),
      jobContext(),
    );
    expect(portal.published[2]).toMatchObject({
      text: '✏️ Edited: original, fixed\n> original',
      inReplyToId: originalId,
    });
    expect(portal.messageGets).toEqual([originalId]);
    // HubSpot refusing the read: the edit still goes, without the quote.
    portal.failures.get = [new PermanentError('HubSpot said no')];
    await publisher.publish(
      account,
      message({
        conversation: chat,
        externalMessageId: original.externalMessageId,
        editOf: { externalMessageId: original.externalMessageId },
        text: 'original, fixed again',
      }),
      jobContext(),
    );
    expect(portal.published.at(-1)).toMatchObject({
      text: '✏️ Edited: original, fixed again',
      inReplyToId: originalId,
    });
    // A reply to a message the gateway never saw goes without inReplyToId.
    await publisher.publish(
      account,
      message({ conversation: chat, inReplyToExternalId: 'unknown' }),
      jobContext(),
    );
    expect(portal.published.at(-1)?.inReplyToId).toBeUndefined();
  });

  it('associates the contact found by phone with the message that opens a thread', async () => {
    const account = await newAccount();
    portal.contactIds.set('phone=+14155550100', '901');
    const sender = { id: 'cust-9', displayName: 'Bo', phone: '+14155550100' };
    const chat = { externalId: 'chat-contact' };
    await publisher.publish(account, message({ conversation: chat, sender }), jobContext());
    await publisher.publish(account, message({ conversation: chat, sender }), jobContext());
    expect(portal.published[0]?.associateWithContactId).toBe(901);
    expect(portal.published[1]?.associateWithContactId).toBeUndefined();

    platform.type = 'HS_PHONE_NUMBER';
    await publisher.publish(
      account,
      message({ conversation: { externalId: 'chat-phone' }, sender }),
      jobContext(),
    );
    expect(portal.published[2]).toMatchObject({
      senders: [{ deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: '+14155550100' } }],
    });
    expect(portal.published[2]?.associateWithContactId).toBeUndefined();
    expect(portal.searches).toHaveLength(1);

    platform.type = 'CHANNEL_SPECIFIC_OPAQUE_ID';
    await publisher.publish(
      account,
      message({ conversation: { externalId: 'group-contact', isGroup: true }, sender }),
      jobContext(),
    );
    expect(portal.published[3]?.associateWithContactId).toBeUndefined();
    expect(portal.searches).toHaveLength(1);
  });

  it('looks up the ticket of an inbox thread (which has none) three times at most', async () => {
    const account = await newAccount();
    portal.helpDesk = false;
    const chat = { externalId: 'chat-inbox' };
    const ticketGets = () => portal.threadGets.filter((g) => g.query.association !== undefined);
    for (let i = 0; i < 8; i++) {
      await publisher.publish(account, message({ conversation: chat }), jobContext());
      clock.advance(20_000);
    }
    expect(ticketGets()).toHaveLength(3);
    expect((await conversationOf(account, 'chat-inbox'))?.hubspotTicketId).toBeUndefined();
  });

  it('shows group senders and notes attachments that could not be transferred', async () => {
    const account = await newAccount();
    platform.openFailure = new PermanentError('file too large');
    await publisher.publish(
      account,
      message({
        conversation: { externalId: 'group-1', isGroup: true },
        sender: { id: 'm-7', displayName: 'Grace' },
        text: '',
        attachments: [
          { kind: 'file', ref: 'r1', fileName: 'big.zip' },
          { kind: 'location', latitude: 1, longitude: 2 },
        ],
      }),
      jobContext(),
    );
    expect(portal.published[0]).toMatchObject({
      text: "Grace: \n[attachment 'big.zip' could not be transferred: file too large]",
      attachments: [{ type: 'LOCATION', latitude: 1, longitude: 2 }],
    });
  });
});

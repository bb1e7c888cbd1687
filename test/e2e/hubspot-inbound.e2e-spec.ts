import { readFileSync } from 'node:fs';
import type { InboundMessageEvent } from '../../src/core/adapter';
import type { GatewayHealth } from '../../src/core/observability/health.service';
import type { ChannelAccount } from '../../src/core/persistence/models/channel-account.model';
import type { StoredMessage } from '../../src/core/persistence/models/message.model';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { ConversationRepository } from '../../src/core/persistence/repositories/conversation.repository';
import { MessageRepository } from '../../src/core/persistence/repositories/message.repository';
import { INBOUND_QUEUE, type InboundJob } from '../../src/core/pipeline/queues';
import { AccountDirectory } from '../../src/core/plugins/account-directory';
import { InboundEventSink } from '../../src/core/plugins/account-context.factory';
import { JobQueue } from '../../src/core/queue/job-queue';
import { inboundMessageKey } from '../../src/hubspot/inbound/inbound-ids';
import type { Message as SimMessage } from '../simulators/hubspot/types';
import {
  boundAccount,
  connectThroughPopup,
  helpDeskInboxId,
  type HubSpotEchoWorld,
  startHubSpotEchoWorld,
} from '../support/hubspot-echo-world';
import { eventually } from '../support/test-gateway';

jest.setTimeout(120_000);

/** What the Echo control API answers for a customer message. */
interface CustomerMessage {
  message_id: string;
  chat_id: string;
  delivered: boolean;
  update: { update_id: number };
}

const bytes = (label: string, size: number) =>
  Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + label.length) % 256));

const FILES = {
  image: { file_name: 'photo.png', mime_type: 'image/png', data: bytes('image', 2048) },
  audio: { file_name: 'song.mp3', mime_type: 'audio/mpeg', data: bytes('audio', 4096) },
  voice: { file_name: 'voice.ogg', mime_type: 'audio/ogg', data: bytes('voice', 1500) },
  video: { file_name: 'clip.mp4', mime_type: 'video/mp4', data: bytes('video', 8192) },
  sticker: { file_name: 'sticker.webp', mime_type: 'image/webp', data: bytes('sticker', 700) },
  file: { file_name: 'invoice.pdf', mime_type: 'application/pdf', data: bytes('file', 3000) },
} as const;

describe('Inbound pipeline: platform messages published to HubSpot', () => {
  let world: HubSpotEchoWorld;
  let bot: { id: string; token: string };
  let account: ChannelAccount;
  let hubspotAccountId: string;

  const repo = <T>(type: abstract new (...args: never[]) => T): T => world.gateway.app.get<T>(type);

  const accountHealth = async (id: string) => {
    const health = (await (await fetch(`${world.gateway.url}/health`)).json()) as GatewayHealth;
    return health.adapters.flatMap((adapter) => adapter.accounts).find((a) => a.id === id);
  };

  /** Connects a new Echo bot to the portal's help desk and waits until it receives. */
  const connectBot = async (name: string, settings?: Record<string, unknown>) => {
    const created = await world.echo.createAccount(name);
    const { hubspotId } = await connectThroughPopup(world, created, {
      inboxId: helpDeskInboxId(world),
    });
    let bound = await boundAccount(world.gateway, hubspotId);
    if (settings) bound = await repo(ChannelAccountRepository).updateSettings(bound.id, settings);
    await eventually(
      async () => ((await accountHealth(bound.id))?.state === 'receiving' ? true : undefined),
      15_000,
      'receiving',
    );
    return { bot: created, account: bound, hubspotId };
  };

  const customerSays = (body: Record<string, unknown>, botId = bot.id) =>
    world.echo.post<CustomerMessage>(`/control/accounts/${botId}/customer/messages`, body);

  /** The local record of a platform message once it is PUBLISHED (first one for edits). */
  const published = (externalId: string, accountId = account.id) =>
    eventually(
      async () => {
        const stored = await repo(MessageRepository).findByExternalId(accountId, externalId);
        return stored?.status === 'PUBLISHED' ? stored : undefined;
      },
      20_000,
      `message ${externalId} to be published`,
    );

  const simMessage = (stored: StoredMessage): SimMessage => {
    const message = world.sim.state.messages.get(stored.hubspotMessageId ?? '');
    if (!message) throw new Error(`HubSpot has no message ${stored.hubspotMessageId}`);
    return message;
  };

  const incomingCount = (hubspotId = hubspotAccountId) =>
    [...world.sim.state.messages.values()].filter(
      (m) => m.channelAccountId === hubspotId && m.direction === 'INCOMING',
    ).length;

  const inboundIdle = () =>
    eventually(
      async () => {
        const stats = await repo(JobQueue).stats(INBOUND_QUEUE);
        return stats.waiting + stats.active + stats.delayed === 0 ? true : undefined;
      },
      20_000,
      'the inbound queue to be idle',
    );

  beforeAll(async () => {
    world = await startHubSpotEchoWorld();
    ({ bot, account, hubspotId: hubspotAccountId } = await connectBot('Inbound bot'));
  });

  afterAll(() => world?.close());

  it('publishes text and every attachment kind into a help-desk thread with its ticket', async () => {
    const sent = await customerSays({
      chat_id: 'chat-all-kinds',
      customer: { id: 'cust-all', name: 'Ada Customer', username: 'ada' },
      html: 'Hello <b>there</b>, see attached',
      attachments: [
        ...Object.entries(FILES).map(([kind, file]) => ({
          kind,
          file_name: file.file_name,
          mime_type: file.mime_type,
          data_base64: file.data.toString('base64'),
          ...(kind === 'sticker' && { emoji: '👍' }),
        })),
        { kind: 'location', latitude: 52.52, longitude: 13.405, title: 'Office', address: 'Mitte' },
        {
          kind: 'contact',
          first_name: 'Grace',
          last_name: 'Hopper',
          phone_number: '+14155550100',
          email: 'grace@example.com',
          organization: 'Navy',
        },
      ],
    });
    expect(sent.delivered).toBe(true);
    const stored = await published(sent.message_id);
    const message = simMessage(stored);

    expect(message).toMatchObject({
      direction: 'INCOMING',
      channelAccountId: hubspotAccountId,
      text: 'Hello there, see attached',
      richText: 'Hello <b>there</b>, see attached',
      senders: [
        {
          name: 'Ada Customer',
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'cust-all' },
        },
      ],
      recipients: [{ deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: bot.id } }],
      integrationIdempotencyId: expect.stringContaining(`${account.id}:echo:${bot.id}:`),
    });
    const files = message.attachments.filter((a) => a.type === 'FILE');
    expect(files.map((a) => a.fileUsageType)).toEqual([
      'IMAGE',
      'AUDIO',
      'VOICE_RECORDING',
      'OTHER',
      'STICKER',
      'OTHER',
    ]);
    Object.values(FILES).forEach((expected, index) => {
      const file = world.sim.state.files.get(String(files[index]?.fileId));
      expect(file).toMatchObject({ contentType: expected.mime_type, size: expected.data.length });
      expect(readFileSync(file?.diskPath ?? '').equals(expected.data)).toBe(true);
    });
    expect(message.attachments.find((a) => a.type === 'LOCATION')).toMatchObject({
      latitude: 52.52,
      longitude: 13.405,
      name: 'Office',
      address: 'Mitte',
    });
    expect(message.attachments.find((a) => a.type === 'CONTACT')).toEqual({
      type: 'CONTACT',
      contactProfile: {
        addresses: [],
        emails: [{ email: 'grace@example.com' }],
        phones: [{ phone: '+14155550100', type: 'CELL' }],
        urls: [],
        name: { firstName: 'Grace', lastName: 'Hopper' },
        org: { company: 'Navy' },
      },
    });

    const thread = world.sim.state.threads.get(message.conversationsThreadId);
    expect(thread).toMatchObject({ inboxId: helpDeskInboxId(world), status: 'OPEN' });
    expect(thread?.ticketId).toBeDefined();
    expect(stored.hubspotThreadId).toBe(thread?.id);
    const conversation = await eventually(
      async () => {
        const row = await repo(ConversationRepository).findByExternalId(
          account.id,
          'chat-all-kinds',
        );
        return row?.hubspotTicketId ? row : undefined;
      },
      10_000,
      'the ticket to be recorded',
    );
    expect(conversation).toMatchObject({
      hubspotThreadId: thread?.id,
      hubspotTicketId: thread?.ticketId,
      integrationThreadId: thread?.integrationThreadId,
      lastInboundAt: new Date(message.createdAt),
    });
    // Recorded as published under its event: a redelivery stops before HubSpot.
    expect(
      await repo(MessageRepository).statusByIdempotencyKey(
        inboundMessageKey(account.id, `echo:${bot.id}:${sent.update.update_id}`),
      ),
    ).toBe('PUBLISHED');
  });

  it('keeps a chat in its thread, carries inReplyToId for replies and marks edits', async () => {
    const first = await customerSays({ chat_id: 'chat-replies', text: 'first question' });
    const firstStored = await published(first.message_id);
    const second = await customerSays({ chat_id: 'chat-replies', text: 'and another' });
    const secondStored = await published(second.message_id);
    expect(simMessage(secondStored).conversationsThreadId).toBe(firstStored.hubspotThreadId);
    expect(simMessage(secondStored).inReplyToId).toBeUndefined();

    const reply = await customerSays({
      chat_id: 'chat-replies',
      text: 'about my first question',
      reply_to_message_id: first.message_id,
    });
    expect(simMessage(await published(reply.message_id))).toMatchObject({
      conversationsThreadId: firstStored.hubspotThreadId,
      inReplyToId: firstStored.hubspotMessageId,
      text: 'about my first question',
    });

    const before = incomingCount();
    await world.echo.post(`/control/accounts/${bot.id}/customer/edits`, {
      message_id: second.message_id,
      text: 'and another one, corrected',
    });
    const edit = await eventually(
      () =>
        [...world.sim.state.messages.values()].find(
          (m) => m.text === '✏️ Edited: and another one, corrected\n> and another',
        ),
      20_000,
      'the edit',
    );
    expect(edit).toMatchObject({
      conversationsThreadId: firstStored.hubspotThreadId,
      inReplyToId: secondStored.hubspotMessageId,
    });
    expect(incomingCount()).toBe(before + 1);

    const otherChat = await customerSays({ chat_id: 'chat-other', text: 'a different chat' });
    const other = await published(otherChat.message_id);
    expect(other.hubspotThreadId).not.toBe(firstStored.hubspotThreadId);
  });

  it('publishes a redelivered platform event only once', async () => {
    const sent = await customerSays({ chat_id: 'chat-redelivery', text: 'exactly once' });
    const stored = await published(sent.message_id);
    await inboundIdle();
    const before = incomingCount();

    const redelivered = await world.echo.post<{ delivered: boolean }>(
      `/control/accounts/${bot.id}/redeliver`,
      {},
    );
    expect(redelivered.delivered).toBe(true);
    // The same event reaching the handler again (e.g. queued twice before it was processed).
    const event: InboundMessageEvent = {
      type: 'message',
      eventId: `echo:${bot.id}:${sent.update.update_id}`,
      externalMessageId: sent.message_id,
      conversation: { externalId: 'chat-redelivery' },
      sender: { id: 'customer-1', displayName: 'Echo Customer' },
      text: 'exactly once',
      attachments: [],
      timestamp: new Date().toISOString(),
    };
    const job: InboundJob = { adapterId: 'echo', accountId: account.id, event };
    await repo(JobQueue).enqueue(INBOUND_QUEUE, job, { jobId: `again-${sent.message_id}` });
    await inboundIdle();

    expect(incomingCount()).toBe(before);
    expect(await repo(MessageRepository).findById(stored.id)).toMatchObject({
      status: 'PUBLISHED',
      hubspotMessageId: stored.hubspotMessageId,
    });
  });

  it('shows the sender name in group conversations', async () => {
    // The Echo platform has private chats only: the event enters where adapters hand theirs in.
    const receiving = await repo(AccountDirectory).findReceivingAccount(account.id);
    if (!receiving) throw new Error('the account is not receiving');
    const event: InboundMessageEvent = {
      type: 'message',
      eventId: 'group-event-1',
      externalMessageId: 'group-msg-1',
      conversation: { externalId: 'group-1', title: 'Project room', isGroup: true },
      sender: { id: 'member-7', displayName: 'Grace' },
      text: 'hi all',
      html: 'hi <b>all</b>',
      attachments: [],
      timestamp: new Date().toISOString(),
    };
    await repo(InboundEventSink).accept(receiving, event);
    const message = simMessage(await published('group-msg-1'));
    expect(message).toMatchObject({
      text: 'Grace: hi all',
      richText: '<b>Grace:</b> hi <b>all</b>',
      senders: [
        {
          name: 'Grace',
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'member-7' },
        },
      ],
    });
    expect(
      await repo(ConversationRepository).findByExternalId(account.id, 'group-1'),
    ).toMatchObject({ isGroup: true, title: 'Project room' });
  });

  it('associates a customer with the CRM contact of their phone or email (contact-owner routing)', async () => {
    const { sim, portalId } = world;
    sim.control.setRouting(hubspotAccountId, { assignment: { type: 'CONTACT_OWNER' } });
    try {
      const owner = sim.state.ownersOf(portalId)[1];
      if (!owner) throw new Error('the portal has no second owner');
      const byPhone = sim.control.seedContact({
        portalId,
        phone: '+14155550123',
        firstname: 'Pat',
        ownerId: owner.id,
      });
      const byEmail = sim.control.seedContact({
        portalId,
        email: 'lin@example.com',
        ownerId: owner.id,
      });
      const searches = () =>
        sim.requests().filter((r) => r.path === '/crm/v3/objects/contacts/search').length;
      const threadOf = async (sent: CustomerMessage) =>
        sim.state.threads.get((await published(sent.message_id)).hubspotThreadId ?? '');

      const before = searches();
      const phoneCustomer = { id: 'cust-phone', name: 'Pat', phone: '+14155550123' };
      const viaPhone = await threadOf(
        await customerSays({ chat_id: 'chat-crm-phone', customer: phoneCustomer, text: 'hi' }),
      );
      expect(viaPhone).toMatchObject({ contactId: byPhone.id, assignedTo: `A-${owner.userId}` });
      const viaEmail = await threadOf(
        await customerSays({
          chat_id: 'chat-crm-email',
          customer: { id: 'cust-email', name: 'Lin', email: 'Lin@Example.com' },
          text: 'hello',
        }),
      );
      expect(viaEmail).toMatchObject({ contactId: byEmail.id, assignedTo: `A-${owner.userId}` });
      const unknown = await threadOf(
        await customerSays({
          chat_id: 'chat-crm-unknown',
          customer: { id: 'cust-unknown', name: 'Sam', phone: '+14155550999' },
          text: 'hey',
        }),
      );
      expect(unknown?.contactId).toBeUndefined();
      expect(unknown?.assignedTo).toBeUndefined();
      const searched = searches() - before;
      expect(searched).toBe(3);
      // Later messages of a thread need no search.
      await published(
        (await customerSays({ chat_id: 'chat-crm-phone', customer: phoneCustomer, text: 'more' }))
          .message_id,
      );
      expect(searches() - before).toBe(searched);
    } finally {
      sim.control.setRouting(hubspotAccountId, { assignment: { type: 'NONE' } });
    }
  });

  it('continuous threading follows HubSpot to a new thread (and ticket) after a close', async () => {
    const first = await customerSays({ chat_id: 'chat-continuous', text: 'before close' });
    const firstStored = await published(first.message_id);
    world.sim.control.setThreadStatus(firstStored.hubspotThreadId ?? '', 'CLOSED');
    const again = await customerSays({ chat_id: 'chat-continuous', text: 'after close' });
    const againStored = await published(again.message_id);
    expect(againStored.hubspotThreadId).not.toBe(firstStored.hubspotThreadId);
    const newThread = world.sim.state.threads.get(againStored.hubspotThreadId ?? '');
    const oldThread = world.sim.state.threads.get(firstStored.hubspotThreadId ?? '');
    // Same integrationThreadId: HubSpot (the simulator) opened the new thread by itself.
    expect(newThread?.integrationThreadId).toBe(oldThread?.integrationThreadId);
    expect(newThread?.ticketId).toBeDefined();
    expect(newThread?.ticketId).not.toBe(oldThread?.ticketId);
    await eventually(
      async () => {
        const row = await repo(ConversationRepository).findByExternalId(
          account.id,
          'chat-continuous',
        );
        return row?.hubspotThreadId === newThread?.id &&
          row?.hubspotTicketId === newThread?.ticketId
          ? row
          : undefined;
      },
      10_000,
      'the conversation to follow the new thread',
    );
  });

  it('after-ticket-closed threading starts a new thread of its own once the thread is closed', async () => {
    const closing = await connectBot('Closing bot', { threading: { mode: 'after-ticket-closed' } });
    const first = await customerSays({ chat_id: 'chat-tc', text: 'one' }, closing.bot.id);
    const firstStored = await published(first.message_id, closing.account.id);
    // Closed before the gateway looked at the thread (an OPEN answer is trusted for 30 s).
    world.sim.control.setThreadStatus(firstStored.hubspotThreadId ?? '', 'CLOSED');
    const second = await customerSays({ chat_id: 'chat-tc', text: 'two' }, closing.bot.id);
    const secondStored = await published(second.message_id, closing.account.id);
    const third = await customerSays({ chat_id: 'chat-tc', text: 'three' }, closing.bot.id);
    expect((await published(third.message_id, closing.account.id)).hubspotThreadId).toBe(
      secondStored.hubspotThreadId,
    );
    const oldThread = world.sim.state.threads.get(firstStored.hubspotThreadId ?? '');
    const newThread = world.sim.state.threads.get(secondStored.hubspotThreadId ?? '');
    expect(newThread?.id).not.toBe(oldThread?.id);
    expect(newThread?.integrationThreadId).not.toBe(oldThread?.integrationThreadId);
    expect(newThread?.ticketId).toBeDefined();
    const row = await eventually(
      async () => {
        const found = await repo(ConversationRepository).findByExternalId(
          closing.account.id,
          'chat-tc',
        );
        return found?.hubspotTicketId === newThread?.ticketId ? found : undefined;
      },
      10_000,
      'the new ticket',
    );
    expect(row).toMatchObject({
      hubspotThreadId: newThread?.id,
      integrationThreadId: newThread?.integrationThreadId,
      status: 'OPEN',
    });
  });
});

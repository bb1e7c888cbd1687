import { Readable } from 'node:stream';
import { startReceiver } from '../../../test/simulators/hubspot/test-helpers';
import { PermanentError } from '../../core/adapter/errors';
import { type SimHarness, startSimHarness } from '../testing/sim-client';
import type { CustomChannel } from './channels.api';
import { HubSpotApiError } from './errors';
import type { HubSpotPortalClient } from './hubspot-client';

jest.setTimeout(60_000);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Every typed API over real HTTP against the HubSpot simulator (which validates requests). */
describe('HubSpotClient against the simulator', () => {
  let h: SimHarness;
  let portal: HubSpotPortalClient;
  let inboxes: { id: string; type: string }[];
  let channel: CustomChannel;
  let accountId: string;

  beforeAll(async () => {
    h = await startSimHarness();
    const installed = await h.install();
    inboxes = installed.inboxes;
    portal = h.kit.client.forPortal(installed.portalId);
  });
  afterAll(() => h.close());

  it('registers, lists, reads, updates and archives a channel with the developer key', async () => {
    channel = await h.kit.client.channels.create({
      name: 'Acme Chat',
      webhookUrl: 'http://127.0.0.1:9/hubspot/webhook',
      channelAccountConnectionRedirectUrl: 'http://127.0.0.1:9/hubspot/connect',
      capabilities: {
        deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
        threadingModel: 'INTEGRATION_THREAD_ID',
        allowOutgoingMessages: true,
      },
    });
    expect(channel.id).toMatch(/^\d+$/);
    const spare = await h.kit.client.channels.create({
      name: 'Spare',
      capabilities: { deliveryIdentifierTypes: ['HS_PHONE_NUMBER'] },
    });
    expect((await h.kit.client.channels.listAll()).map((c) => c.id)).toEqual(
      expect.arrayContaining([channel.id, spare.id]),
    );
    expect((await h.kit.client.channels.get(channel.id)).name).toBe('Acme Chat');
    const updated = await h.kit.client.channels.update(spare.id, {
      capabilities: { deliveryIdentifierTypes: ['HS_PHONE_NUMBER'] },
      channelDescription: 'spare channel',
      channelLogoUrl: 'http://127.0.0.1:9/logo.png',
    });
    expect(updated.channelDescription).toBe('spare channel');
    await h.kit.client.channels.archive(spare.id);
    const query = h.sim.requests().filter((r) => r.path.includes('custom-channels'));
    expect(query.every((r) => r.query.includes('hapikey='))).toBe(true);
  });

  it('creates, lists, reads and updates channel accounts with the portal token', async () => {
    const account = await portal.channelAccounts.create(channel.id, {
      inboxId: inboxes[0].id,
      name: 'Support bot',
      authorized: true,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot-1' },
    });
    accountId = account.id;
    const page = await portal.channelAccounts.list(channel.id, {
      deliveryIdentifierType: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
      deliveryIdentifierValue: ['bot-1'],
    });
    expect(page.results.map((a) => a.id)).toEqual([account.id]);
    expect((await portal.channelAccounts.get(channel.id, account.id)).name).toBe('Support bot');
    const renamed = await portal.channelAccounts.update(channel.id, account.id, { name: 'Bot' });
    expect(renamed.name).toBe('Bot');
  });

  it('names a staging token, and a second use after connecting is a 409 PermanentError', async () => {
    const { accountToken } = h.sim.control.connectUrl(channel.id, { portalId: portal.portalId });
    const staging = await portal.channelAccounts.updateStagingToken(channel.id, accountToken, {
      accountName: 'Connected bot',
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot-2' },
    });
    expect(staging.accountName).toBe('Connected bot');
    h.sim.control.completeConnect(accountToken);
    const error = await portal.channelAccounts
      .updateStagingToken(channel.id, accountToken, {
        accountName: 'again',
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot-2' },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect((error as HubSpotApiError).status).toBe(409);
    expect((error as HubSpotApiError).reason).toContain(
      '/channel-account-staging-tokens/{accountToken}',
    );
    expect((error as HubSpotApiError).reason).not.toContain(accountToken);
  });

  it('uploads an attachment into the channel folder, publishes it, reads the message and sets its status', async () => {
    const content = Buffer.from('%PDF-1.4 hello');
    const file = await portal.files.uploadToChannelFolder(channel.id, {
      data: () => Readable.from([content]),
      fileName: 'invoice.pdf',
      contentType: 'application/pdf',
      size: content.length,
    });
    expect(file.access).toBe('PRIVATE');
    expect(file.path).toBe(`/hubspot-messenger-gateway/channel-${channel.id}/invoice.pdf`);
    expect((await portal.files.get(file.id)).size).toBe(content.length);

    const message = await portal.messages.publish(channel.id, {
      channelAccountId: accountId,
      messageDirection: 'INCOMING',
      text: 'Here is the invoice',
      timestamp: new Date().toISOString(),
      integrationThreadId: 'conv-1',
      integrationIdempotencyId: 'msg-1',
      senders: [
        {
          deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'user-1' },
          name: 'Ann',
        },
      ],
      recipients: [{ deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot-1' } }],
      attachments: [{ type: 'FILE', fileId: file.id, fileUsageType: 'OTHER' }],
    });
    expect(message.conversationsThreadId).toBeTruthy();
    expect((await portal.messages.get(channel.id, message.id)).text).toBe('Here is the invoice');
    const reply = h.sim.control.agentReply(message.conversationsThreadId, { text: 'Thanks!' });
    const updated = await portal.messages.updateStatus(channel.id, reply.message.id, {
      statusType: 'FAILED',
      errorMessage: 'blocked by user',
    });
    expect(updated.status?.statusType).toBe('FAILED');
    expect(updated.status?.failureDetails?.errorMessage).toBe('blocked by user');

    const thread = await portal.conversations.getThread(message.conversationsThreadId);
    expect(thread.inboxId).toBe(inboxes[0].id);
    const threads = await portal.conversations.listThreads({ inboxId: [Number(inboxes[0].id)] });
    expect(threads.results.map((t) => t.id)).toContain(thread.id);
    const closed = await portal.conversations.updateThread(thread.id, { status: 'CLOSED' });
    expect(closed.status).toBe('CLOSED');
  });

  it('downloads a private file through a signed URL, as a stream', async () => {
    const content = Buffer.alloc(300_000, 1);
    const file = await portal.files.upload({
      data: Readable.from([content]),
      fileName: 'photo.png',
      contentType: 'image/png',
      folderPath: '/gateway-test',
    });
    const download = await portal.files.downloadById(file.id);
    expect(download.contentLength).toBe(content.length);
    expect((await readAll(download.stream)).equals(content)).toBe(true);
    const tooBig = await portal.files
      .downloadById(file.id, { maxBytes: 1000 })
      .catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(PermanentError);
  });

  it('never sends the portal token to a host that is not HubSpot', async () => {
    const receiver = await startReceiver();
    try {
      const download = await portal.files.downloadUrl(`${receiver.url}/files/photo.png`);
      await readAll(download.stream);
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0].headers.authorization).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('lists inboxes and owners', async () => {
    const page = await portal.conversations.listInboxes();
    expect(page.results.map((i) => i.type).sort()).toEqual(['HELP_DESK', 'INBOX']);
    expect((await portal.conversations.getInbox(inboxes[1].id)).type).toBe('HELP_DESK');
    const owners = await portal.owners.list({ limit: 10 });
    expect(owners.results.length).toBeGreaterThan(0);
    expect((await portal.owners.get(owners.results[0].id)).email).toBe(owners.results[0].email);
  });

  it('creates, reads, updates and searches tickets and associates them', async () => {
    const contactId = h.sim.control.seedContact({
      portalId: portal.portalId,
      email: 'ann@example.com',
    }).id;
    const ticket = await portal.tickets.create({
      properties: { subject: 'Invoice question', hs_pipeline: '0', hs_pipeline_stage: '1' },
      associations: [
        {
          to: { id: contactId },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }],
        },
      ],
    });
    expect(ticket.properties.subject).toBe('Invoice question');
    const updated = await portal.tickets.update(ticket.id, {
      properties: { hs_pipeline_stage: '4' },
    });
    expect(updated.properties.hs_pipeline_stage).toBe('4');
    const read = await portal.tickets.get(ticket.id, { associations: ['contacts'] });
    expect(read.id).toBe(ticket.id);
    const found = await portal.tickets.search({
      filterGroups: [
        { filters: [{ propertyName: 'subject', operator: 'EQ', value: 'Invoice question' }] },
      ],
      properties: ['subject'],
      sorts: [],
      after: '0',
      limit: 10,
    });
    expect(found.results.map((t) => t.id)).toContain(ticket.id);
    const associations = await portal.associations.list(
      { objectType: 'tickets', objectId: ticket.id },
      'contacts',
    );
    expect(associations.results.map((a) => String(a.toObjectId))).toContain(contactId);
  });
});

/**
 * SMS (Twilio) end to end, inbound: Twilio simulator -> gateway (sms adapter, signed webhooks)
 * -> HubSpot simulator. Connection through HubSpot's popup, texts and MMS into help-desk threads,
 * one conversation per customer number, contact matching by phone, signatures.
 */
import { readFileSync } from 'node:fs';
import twilio from 'twilio';
import { ConversationRepository } from '../../src/core/persistence/repositories/conversation.repository';
import { MessageRepository } from '../../src/core/persistence/repositories/message.repository';
import { helpDeskInboxId } from '../support/hubspot-world';
import { eventually } from '../support/test-gateway';
import {
  type ConnectedSms,
  connectSmsAccount,
  customerTexts,
  hubSpotMessage,
  published,
  type SmsHubSpotWorld,
  startSmsHubSpotWorld,
} from './sms-hubspot.world';

jest.setTimeout(120_000);

const bytes = (seed: number, size: number) =>
  Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 256));

const MEDIA = {
  image: { contentType: 'image/jpeg', data: bytes(1, 4096) },
  audio: { contentType: 'audio/amr', data: bytes(2, 2048) },
  video: { contentType: 'video/mp4', data: bytes(3, 8192) },
  file: { contentType: 'text/vcard', data: Buffer.from('BEGIN:VCARD\nFN:Ada\nEND:VCARD\n') },
};

describe('SMS end to end, inbound: Twilio -> gateway -> HubSpot', () => {
  let world: SmsHubSpotWorld;
  let sms: ConnectedSms;

  const messages = () => world.gateway.app.get(MessageRepository);
  const incomingCount = () =>
    [...world.sim.state.messages.values()].filter(
      (m) => m.channelAccountId === sms.hubspotId && m.direction === 'INCOMING',
    ).length;

  beforeAll(async () => {
    world = await startSmsHubSpotWorld();
    sms = await connectSmsAccount(world, { inboxId: helpDeskInboxId(world) });
  });

  afterAll(() => world?.close());

  it('connects a Twilio number as an HS_PHONE_NUMBER account and points the number at the gateway', async () => {
    const hubspot = world.sim.state.channelAccounts.get(sms.hubspotId);
    expect(hubspot).toMatchObject({
      deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: sms.platform.number },
      inboxId: helpDeskInboxId(world),
      authorized: true,
    });
    expect(hubspot?.name).toMatch(/^Support line \d+$/);
    // startReceiving set the number's "A message comes in" webhook through the API.
    const inboundUrl = `${world.gateway.url}/adapters/sms/${sms.account.id}/inbound`;
    const result = await customerTexts(world, sms, { body: 'Hi, is anyone there?' });
    expect(result.delivery).toMatchObject({ url: inboundUrl, responseStatus: 200 });
    expect(result.delivery?.responseBody).toContain('<Response');
  });

  it('publishes a text into a help-desk thread from the customer number, at Twilio time', async () => {
    const result = await customerTexts(world, sms, { body: 'My order #42 has not arrived' });
    const stored = await published(world, sms.account.id, result.message.sid);
    const message = hubSpotMessage(world, stored.hubspotMessageId);
    expect(message).toMatchObject({
      direction: 'INCOMING',
      channelAccountId: sms.hubspotId,
      text: 'My order #42 has not arrived',
      senders: [
        {
          name: sms.platform.customer,
          deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: sms.platform.customer },
        },
      ],
      recipients: [{ deliveryIdentifier: { type: 'HS_PHONE_NUMBER', value: sms.platform.number } }],
      integrationIdempotencyId: `${sms.account.id}:twilio:${result.message.sid}`,
    });
    // The time Twilio created the message (webhooks carry none; second precision).
    const twilioSecond = Math.floor(result.message.dateCreated.getTime() / 1000);
    expect(Math.floor(Date.parse(message.createdAt) / 1000)).toBe(twilioSecond);
    const thread = world.sim.state.threads.get(message.conversationsThreadId);
    expect(thread).toMatchObject({
      inboxId: helpDeskInboxId(world),
      customerIdentifier: { type: 'HS_PHONE_NUMBER', value: sms.platform.customer },
    });
    expect(thread?.ticketId).toBeDefined();
  });

  it('keeps one conversation per customer number; another number opens its own thread', async () => {
    const first = await published(
      world,
      sms.account.id,
      (await customerTexts(world, sms, { body: 'one' })).message.sid,
    );
    const second = await published(
      world,
      sms.account.id,
      (await customerTexts(world, sms, { body: 'two' })).message.sid,
    );
    expect(second.hubspotThreadId).toBe(first.hubspotThreadId);
    const other = '+15550209999';
    world.twilio.setDestination({ number: other, behavior: 'deliver' });
    const third = await published(
      world,
      sms.account.id,
      (await customerTexts(world, sms, { body: 'three', from: other })).message.sid,
    );
    expect(third.hubspotThreadId).not.toBe(first.hubspotThreadId);
    const conversations = world.gateway.app.get(ConversationRepository);
    expect(
      await conversations.findByExternalId(sms.account.id, sms.platform.customer),
    ).toBeTruthy();
    expect(await conversations.findByExternalId(sms.account.id, other)).toBeTruthy();
  });

  it('a number typed with spaces and brackets is stored in E.164; each account has its own conversations', async () => {
    const platform = await world.harness.createAccount();
    const digits = platform.number.slice(1);
    const typed = `+${digits.slice(0, 1)} (${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`;
    const second = await connectSmsAccount(world, {
      inboxId: helpDeskInboxId(world),
      platform: { ...platform, credentials: { ...platform.credentials, from: typed } },
    });
    expect(second.account.credentials.from).toBe(platform.number);
    expect(world.sim.state.channelAccounts.get(second.hubspotId)?.deliveryIdentifier).toEqual({
      type: 'HS_PHONE_NUMBER',
      value: platform.number,
    });
    // The same customer writes to both numbers: two conversations, two threads.
    const customer = sms.platform.customer;
    const toFirst = await published(
      world,
      sms.account.id,
      (await customerTexts(world, sms, { body: 'to the first number', from: customer })).message
        .sid,
    );
    const toSecond = await published(
      world,
      second.account.id,
      (await customerTexts(world, second, { body: 'to the second number', from: customer })).message
        .sid,
    );
    expect(toSecond.hubspotThreadId).not.toBe(toFirst.hubspotThreadId);
    expect(hubSpotMessage(world, toSecond.hubspotMessageId).channelAccountId).toBe(
      second.hubspotId,
    );
  });

  it('publishes an MMS with every media type as HubSpot files with their bytes', async () => {
    const result = await customerTexts(world, sms, {
      body: 'Pictures of the damage',
      media: Object.values(MEDIA),
    });
    expect(result.message.media).toHaveLength(4);
    const stored = await published(world, sms.account.id, result.message.sid);
    const message = hubSpotMessage(world, stored.hubspotMessageId);
    expect(message.text).toBe('Pictures of the damage');
    const files = message.attachments.filter((a) => a.type === 'FILE');
    expect(files.map((a) => a.fileUsageType)).toEqual(['IMAGE', 'AUDIO', 'OTHER', 'OTHER']);
    Object.values(MEDIA).forEach((expected, index) => {
      const file = world.sim.state.files.get(String(files[index]?.fileId));
      expect(file).toMatchObject({
        contentType: expected.contentType,
        size: expected.data.length,
        access: 'PRIVATE',
      });
      // Named after Twilio's media SID (Twilio gives no file name).
      expect(file?.name).toBe(result.message.media[index].sid);
      expect(readFileSync(file?.diskPath ?? '').equals(expected.data)).toBe(true);
    });
    // The media were fetched from Twilio with the account's credentials.
    const mediaFetches = world.twilio
      .requests()
      .filter((r) => r.method === 'GET' && /\/Media\/ME[0-9a-f]{32}$/.test(r.path));
    expect(mediaFetches).toHaveLength(4);
    expect(new Set(mediaFetches.map((r) => [r.authUser, r.status].join(' ')))).toEqual(
      new Set([`${sms.platform.accountSid} 307`]),
    );
  });

  it('an MMS without text shows its picture alone', async () => {
    const result = await customerTexts(world, sms, { media: [MEDIA.image] });
    const stored = await published(world, sms.account.id, result.message.sid);
    const message = hubSpotMessage(world, stored.hubspotMessageId);
    expect(message.attachments.map((a) => [a.type, a.fileUsageType])).toEqual([['FILE', 'IMAGE']]);
  });

  it('a long message Twilio reassembled arrives whole (1600 characters, UCS-2)', async () => {
    const body = Array.from({ length: 160 }, (_, i) => `Wiersz ${i % 10} łódź`)
      .join(' ')
      .slice(0, 1600);
    const result = await customerTexts(world, sms, { body });
    expect(result.message.numSegments).toBeGreaterThan(20);
    const stored = await published(world, sms.account.id, result.message.sid);
    expect(hubSpotMessage(world, stored.hubspotMessageId).text).toBe(body);
  });

  it('matches the customer to the CRM contact with that phone number (contact-owner routing)', async () => {
    const { sim, portalId } = world;
    const customer = '+15550207777';
    world.twilio.setDestination({ number: customer, behavior: 'deliver' });
    const owner = sim.state.ownersOf(portalId)[1];
    if (!owner) throw new Error('the portal has no second owner');
    // Stored the way people type numbers: HubSpot compares digits.
    const contact = sim.control.seedContact({
      portalId,
      phone: '+1 (555) 020-7777',
      firstname: 'Pat',
      ownerId: owner.id,
    });
    sim.control.setRouting(sms.hubspotId, { assignment: { type: 'CONTACT_OWNER' } });
    try {
      const searchesBefore = sim
        .requests()
        .filter((r) => r.path === '/crm/v3/objects/contacts/search').length;
      const result = await customerTexts(world, sms, { body: 'It is Pat', from: customer });
      const stored = await published(world, sms.account.id, result.message.sid);
      expect(sim.state.threads.get(stored.hubspotThreadId ?? '')).toMatchObject({
        contactId: contact.id,
        assignedTo: `A-${owner.userId}`,
      });
      // HubSpot matched the HS_PHONE_NUMBER sender itself: the gateway searched nothing.
      expect(
        sim.requests().filter((r) => r.path === '/crm/v3/objects/contacts/search').length,
      ).toBe(searchesBefore);
    } finally {
      sim.control.setRouting(sms.hubspotId, { assignment: { type: 'NONE' } });
    }
  });

  it('rejects webhooks with a bad signature with 401 and stores nothing', async () => {
    const before = incomingCount();
    world.twilio.addFault({
      target: 'webhook',
      kind: 'bad-signature',
      webhookKind: 'inbound',
      count: 1,
    });
    const forged = await customerTexts(world, sms, { body: 'forged' });
    expect(forged.delivery?.responseStatus).toBe(401);

    // A hand-made request: signed with another token, then unsigned.
    const url = `${world.gateway.url}/adapters/sms/${sms.account.id}/inbound`;
    const params = {
      MessageSid: 'SM0123456789abcdef0123456789abcdef',
      AccountSid: sms.platform.accountSid,
      From: sms.platform.customer,
      To: sms.platform.number,
      Body: 'also forged',
      NumMedia: '0',
    };
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params).toString(),
      });
    const wrongToken = twilio.getExpectedTwilioSignature('f'.repeat(32), url, params);
    expect((await post({ 'x-twilio-signature': wrongToken })).status).toBe(401);
    expect((await post({})).status).toBe(401);

    // A genuine message afterwards is published: nothing of the forged ones was.
    const genuine = await customerTexts(world, sms, { body: 'genuine' });
    await published(world, sms.account.id, genuine.message.sid);
    expect(incomingCount()).toBe(before + 1);
    expect(await messages().findByExternalId(sms.account.id, forged.message.sid)).toBeFalsy();
    expect(await messages().findByExternalId(sms.account.id, params.MessageSid)).toBeFalsy();
  });

  it('accepts a request signed by the official twilio helper, and a redelivery adds nothing', async () => {
    const url = `${world.gateway.url}/adapters/sms/${sms.account.id}/inbound`;
    // A message Twilio knows (the adapter fetches its creation time), delivered by hand.
    const original = await customerTexts(world, sms, { body: 'signed by hand' });
    await published(world, sms.account.id, original.message.sid);
    const before = incomingCount();
    const params = original.delivery?.params ?? {};
    const signature = twilio.getExpectedTwilioSignature(sms.platform.authToken, url, params);
    expect(signature).toBe(original.delivery?.signature);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
    // Twilio's duplicate delivery (same idempotency token).
    world.twilio.addFault({
      target: 'webhook',
      kind: 'duplicate',
      webhookKind: 'inbound',
      count: 1,
    });
    const twice = await customerTexts(world, sms, { body: 'delivered twice' });
    await published(world, sms.account.id, twice.message.sid);
    await eventually(
      () =>
        world.twilio.inboundDeliveries().filter((d) => d.messageSid === twice.message.sid)
          .length === 2
          ? true
          : undefined,
      10_000,
      'the duplicate delivery',
    );
    await world.sim.waitForWebhooks();
    expect(incomingCount()).toBe(before + 1);
  });
});

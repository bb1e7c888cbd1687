/**
 * SMS (Twilio) end to end, outbound: agent replies in the HubSpot simulator -> gateway (sms
 * adapter) -> Twilio simulator, and Twilio's status callbacks -> SENT / READ / FAILED in HubSpot.
 * Plain text from rich text, splitting, MMS from HubSpot's signed file URLs, refusals with
 * reasons, 429 retries.
 */
import twilio from 'twilio';
import { MessageRepository } from '../../src/core/persistence/repositories/message.repository';
import { helpDeskInboxId } from '../support/hubspot-world';
import { eventually } from '../support/test-gateway';
import {
  agentReplies,
  type ConnectedSms,
  connectSmsAccount,
  createRequestsTo,
  customerTexts,
  hubSpotMessage,
  published,
  type SmsHubSpotWorld,
  startSmsHubSpotWorld,
  statusIs,
  twilioMessagesTo,
  uploadToHubSpot,
} from './sms-hubspot.world';

jest.setTimeout(120_000);

const bytes = (seed: number, size: number) =>
  Buffer.from(Array.from({ length: size }, (_, i) => (i * 17 + seed) % 256));

describe('SMS end to end, outbound: HubSpot agent -> gateway -> Twilio, statuses back', () => {
  let world: SmsHubSpotWorld;
  let sms: ConnectedSms;
  let customerSequence = 0;

  /** A new customer (Twilio destination behaviour) who texts in; resolves their HubSpot thread. */
  const customerOpens = async (
    behavior: Parameters<SmsHubSpotWorld['twilio']['setDestination']>[0]['behavior'] = 'deliver',
    number = `+1555021${String(++customerSequence).padStart(4, '0')}`,
  ) => {
    world.twilio.setDestination({ number, behavior });
    const result = await customerTexts(world, sms, { body: 'Hello?', from: number });
    const stored = await published(world, sms.account.id, result.message.sid);
    return { number, threadId: stored.hubspotThreadId ?? '' };
  };

  const sentLogs = () => world.gateway.logs().filter((line) => line.msg === 'sms: sent');

  const stored = async (hubspotId: string) => {
    const found = await world.gateway.app.get(MessageRepository).findByHubSpotId(hubspotId);
    if (!found) throw new Error(`no local record of ${hubspotId}`);
    return found;
  };

  const failureOf = async (id: string) =>
    (await statusIs(world, id, 'FAILED')).status?.failureDetails?.errorMessage;

  beforeAll(async () => {
    world = await startSmsHubSpotWorld();
    sms = await connectSmsAccount(world, { inboxId: helpDeskInboxId(world) });
  });

  afterAll(() => world?.close());

  it('sends rich text as plain SMS with readable links; delivery callbacks end SENT once', async () => {
    const { number, threadId } = await customerOpens();
    const id = await agentReplies(world, threadId, {
      text: 'Hello Ada, see the docs',
      richText:
        '<p>Hello <strong>Ada</strong>, see <a href="https://example.com/docs">the docs</a></p>',
    });
    await statusIs(world, id, 'SENT');
    const [message] = twilioMessagesTo(world, number);
    expect(message).toMatchObject({
      from: sms.platform.number,
      body: 'Hello Ada, see the docs (https://example.com/docs)',
      statusCallback: `${world.gateway.url}/adapters/sms/${sms.account.id}/status`,
      encoding: 'GSM-7',
      numSegments: 1,
    });
    // queued, sending, sent, delivered: HubSpot is told SENT once.
    await world.twilio.waitForStatus(message.sid, 'delivered');
    await eventually(
      () =>
        world.twilio.statusCallbacks(message.sid).filter((d) => d.responseStatus === 200).length ===
        3
          ? true
          : undefined,
      10_000,
      'the status callbacks to be answered',
    );
    await world.sim.waitForWebhooks();
    expect(hubSpotMessage(world, id).statusHistory.map((h) => h.status.statusType)).toEqual([
      'SENT',
    ]);
    expect(await stored(id)).toMatchObject({ status: 'SENT', externalMessageIds: [message.sid] });
    expect(sentLogs().find((line) => line.messageId === message.sid)).toMatchObject({
      encoding: 'GSM-7',
      segments: 1,
      providerSegments: 1,
    });
  });

  it('a forged status callback is refused (401) and changes nothing in HubSpot', async () => {
    const { number, threadId } = await customerOpens();
    const id = await agentReplies(world, threadId, { text: 'genuine' });
    await statusIs(world, id, 'SENT');
    const [message] = twilioMessagesTo(world, number);
    await world.twilio.waitForStatus(message.sid, 'delivered');
    const url = message.statusCallback ?? '';
    const params = {
      MessageSid: message.sid,
      SmsSid: message.sid,
      AccountSid: sms.platform.accountSid,
      From: sms.platform.number,
      To: number,
      MessageStatus: 'undelivered',
      SmsStatus: 'undelivered',
      ErrorCode: '30003',
      ApiVersion: '2010-04-01',
    };
    const forged = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature('0'.repeat(32), url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(forged.status).toBe(401);
    await world.sim.waitForWebhooks();
    expect(hubSpotMessage(world, id).statusHistory.map((h) => h.status.statusType)).toEqual([
      'SENT',
    ]);
    expect((await stored(id)).status).toBe('SENT');
  });

  it('splits only over 1600 characters, in order, and records each part’s segments', async () => {
    const { number, threadId } = await customerOpens();
    const whole = Array.from({ length: 1600 }, (_, i) => 'abcdefghi '[i % 10])
      .join('')
      .slice(0, 1600);
    const one = await agentReplies(world, threadId, { text: whole });
    await statusIs(world, one, 'SENT');
    // 1600 GSM-7 characters: one message of 11 segments, not split.
    const [single] = twilioMessagesTo(world, number);
    expect(single.body).toBe(whole);
    expect(single.numSegments).toBe(11);

    const words = Array.from({ length: 500 }, (_, i) => `słowo${i}`);
    const long = words.join(' ');
    expect(long.length).toBeGreaterThan(3200);
    const split = await agentReplies(world, threadId, { text: long });
    await statusIs(world, split, 'SENT');
    const parts = twilioMessagesTo(world, number).slice(1);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part.body.length).toBeLessThanOrEqual(1600);
    expect(
      parts
        .map((p) => p.body)
        .join(' ')
        .split(' '),
    ).toEqual(words);
    expect((await stored(split)).externalMessageIds).toEqual(parts.map((p) => p.sid));
    const logged = parts.map((p) => sentLogs().find((line) => line.messageId === p.sid));
    expect(logged.map((line) => [line?.part, line?.encoding])).toEqual([
      ['1/3', 'UCS-2'],
      ['2/3', 'UCS-2'],
      ['3/3', 'UCS-2'],
    ]);
    parts.forEach((part, index) =>
      expect(logged[index]?.segments).toBe(Math.ceil(part.body.length / 67)),
    );
  });

  it('sends an agent’s files as MMS: Twilio fetches them from HubSpot’s signed URLs', async () => {
    const { number, threadId } = await customerOpens();
    const png = bytes(1, 30_000);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), bytes(2, 20_000)]);
    const image = await uploadToHubSpot(world, 'diagram.png', 'image/png', png);
    const doc = await uploadToHubSpot(world, 'terms.pdf', 'application/pdf', pdf);
    const id = await agentReplies(world, threadId, {
      text: 'Here are the files',
      fileIds: [image.id, doc.id],
    });
    await statusIs(world, id, 'SENT');
    const [message] = twilioMessagesTo(world, number);
    expect(message.body).toBe('Here are the files');
    await world.twilio.waitForStatus(message.sid, 'delivered');
    const media = world.twilio.message(message.sid)?.media ?? [];
    expect(media.map((m) => m.contentType)).toEqual(['image/png', 'application/pdf']);
    for (const item of media) {
      expect(item.sourceUrl).toMatch(
        new RegExp(`^${world.sim.baseUrl}/__sim/signed-files/(${image.id}|${doc.id})\\?`),
      );
      expect(item.fetchError).toBeUndefined();
    }
    expect(media[0].data?.equals(png)).toBe(true);
    expect(media[1].data?.equals(pdf)).toBe(true);
    expect(sentLogs().find((line) => line.messageId === message.sid)).toMatchObject({ media: 2 });
  });

  it('an MMS Twilio cannot take ends FAILED with the reason, at send or from the callback', async () => {
    const { number, threadId } = await customerOpens();
    // A non-image over Twilio's 500 KB: refused before Twilio is called.
    const big = await uploadToHubSpot(world, 'manual.pdf', 'application/pdf', bytes(3, 600_000));
    const tooLarge = await agentReplies(world, threadId, { text: 'manual', fileIds: [big.id] });
    expect(await failureOf(tooLarge)).toBe(
      '"manual.pdf" is too large for MMS (600 KB; files other than JPEG, PNG and GIF images up to 500 KB)',
    );
    expect(twilioMessagesTo(world, number)).toEqual([]);

    // An empty file passes every check at send; Twilio fetches it and fails the message (63019).
    const empty = world.sim.control.uploadFile({
      portalId: world.portalId,
      name: 'blank.png',
      contentType: 'image/png',
      content: Buffer.alloc(0),
    });
    const emptyReply = await agentReplies(world, threadId, { text: 'blank', fileIds: [empty.id] });
    expect(await failureOf(emptyReply)).toBe(
      'Twilio could not download an attachment (the file was empty) (Twilio 63019)',
    );
    expect(twilioMessagesTo(world, number).map((m) => m.status)).toEqual(['failed']);

    // A handset without MMS: the carrier refuses it (30011); a text alone still goes.
    const noMms = await customerOpens('no-mms');
    const png = await uploadToHubSpot(world, 'map.png', 'image/png', bytes(5, 1000));
    const refused = await agentReplies(world, noMms.threadId, { text: 'map', fileIds: [png.id] });
    expect(await failureOf(refused)).toBe(
      "the recipient's phone or carrier does not take MMS (Twilio 30011)",
    );
    const text = await agentReplies(world, noMms.threadId, { text: 'the map: see our website' });
    await statusIs(world, text, 'SENT');
  });

  it('attachments to a number outside the US and Canada are refused with a reason', async () => {
    const uk = await customerOpens('deliver', '+447700900123');
    const png = await uploadToHubSpot(world, 'map.png', 'image/png', bytes(6, 1000));
    const id = await agentReplies(world, uk.threadId, { text: 'map', fileIds: [png.id] });
    expect(await failureOf(id)).toBe(
      'attachments cannot be sent to +447700900123: Twilio sends MMS only to US and Canadian numbers (send the text alone)',
    );
    expect(createRequestsTo(world, uk.number)).toEqual([]);
  });

  it('a sender number without MMS capability: the file is refused, text still goes', async () => {
    const base = await world.harness.createAccount();
    const smsOnly = world.twilio.createPhoneNumber({
      accountSid: base.accountSid,
      phoneNumber: base.number.replace(/^\+1555010/, '+1555030'),
      capabilities: { sms: true, mms: false },
      friendlyName: 'SMS only line',
    });
    const connected = await connectSmsAccount(world, {
      inboxId: helpDeskInboxId(world),
      platform: {
        ...base,
        number: smsOnly.phoneNumber,
        credentials: { ...base.credentials, from: smsOnly.phoneNumber },
      },
    });
    // The harness's proxy only updates its own numbers: point this one at the gateway by hand.
    world.twilio.createPhoneNumber({
      ...smsOnly,
      smsUrl: `${world.gateway.url}/adapters/sms/${connected.account.id}/inbound`,
    });
    const result = await customerTexts(world, connected, { body: 'hi' });
    const threadId =
      (await published(world, connected.account.id, result.message.sid)).hubspotThreadId ?? '';
    const png = await uploadToHubSpot(world, 'map.png', 'image/png', bytes(7, 1000));
    const id = await agentReplies(world, threadId, { text: 'map', fileIds: [png.id] });
    expect(await failureOf(id)).toBe(
      `attachments cannot be sent: the sender ${smsOnly.phoneNumber} has no MMS capability (enable MMS on the number in Twilio, or send the text alone)`,
    );
    const text = await agentReplies(world, threadId, { text: 'no map, sorry' });
    await statusIs(world, text, 'SENT');
  });

  it('maps status callbacks: read -> READ, undelivered/failed -> FAILED with Twilio’s code', async () => {
    const reads = await customerOpens('read');
    const read = await agentReplies(world, reads.threadId, { text: 'will be read' });
    await statusIs(world, read, 'READ');
    expect(hubSpotMessage(world, read).statusHistory.map((h) => h.status.statusType)).toEqual([
      'SENT',
      'READ',
    ]);
    expect((await stored(read)).status).toBe('READ');

    const cases = [
      ['unreachable', 'recipient handset unreachable (Twilio 30003)'],
      ['blocked', 'filtered by the carrier (spam or content) (Twilio 30007)'],
      ['landline', 'landline or unreachable carrier (Twilio 30006)'],
      ['failed', 'unknown delivery error (Twilio 30008)'],
    ] as const;
    for (const [behavior, reason] of cases) {
      const customer = await customerOpens(behavior);
      const id = await agentReplies(world, customer.threadId, { text: `to ${behavior}` });
      expect(await failureOf(id)).toBe(reason);
      expect(await stored(id)).toMatchObject({ status: 'FAILED', failureReason: reason });
      const [message] = twilioMessagesTo(world, customer.number);
      expect(message.errorCode).toBe(Number(/Twilio (\d+)/.exec(reason)?.[1]));
    }
  });

  it('permanent Twilio errors at send reach the agent with the reason', async () => {
    const cases = [
      ['not-mobile', 'recipient is not a mobile number (Twilio 21614)'],
      ['unroutable', 'Twilio cannot route to this number (Twilio 21612)'],
      ['invalid', 'invalid recipient phone number (Twilio 21211)'],
    ] as const;
    for (const [behavior, reason] of cases) {
      const customer = await customerOpens('deliver');
      world.twilio.setDestination({ number: customer.number, behavior });
      const id = await agentReplies(world, customer.threadId, { text: `to ${behavior}` });
      expect(await failureOf(id)).toBe(reason);
      expect(createRequestsTo(world, customer.number)).toHaveLength(1);
      expect(twilioMessagesTo(world, customer.number)).toEqual([]);
    }
  });

  it('429 / 20429 from Twilio is retried: every reply sent once, in order', async () => {
    const { number, threadId } = await customerOpens();
    world.twilio.addFault({
      target: 'api',
      kind: '429',
      method: 'POST',
      path: 'Messages\\.json$',
      count: 2,
    });
    const ids: string[] = [];
    for (const text of ['first', 'second', 'third']) {
      ids.push(await agentReplies(world, threadId, { text }));
    }
    for (const id of ids) await statusIs(world, id, 'SENT');
    expect(twilioMessagesTo(world, number).map((m) => m.body)).toEqual([
      'first',
      'second',
      'third',
    ]);
    expect(
      createRequestsTo(world, number)
        .filter((r) => r.status === 429)
        .map((r) => r.errorCode),
    ).toEqual([20429, 20429]);
    const retried = world.gateway
      .logs()
      .filter((line) => line.msg === 'agent message not sent yet; will retry')
      .map((line) => line.hubspotMessage);
    expect(retried).toEqual([ids[0], ids[0]]);
    for (const id of ids) {
      expect(hubSpotMessage(world, id).statusHistory.map((h) => h.status.statusType)).toEqual([
        'SENT',
      ]);
    }
  });
});

/**
 * Outbound MMS through the adapter against the Twilio simulator: attachments go out as MediaUrls
 * (the attachments' public URLs, served here by the conformance kit's PublicFileHost), and every
 * reason an MMS cannot be sent reaches the agent as a readable PermanentError at send or as a
 * FAILED status with a readable reason afterwards.
 */
import { Readable } from 'node:stream';
import {
  PermanentError,
  type DeliveryStatusEvent,
  type OutboundAttachment,
  type OutboundMessage,
} from '../../../src/core/adapter';
import {
  BINARY_FIXTURES,
  InMemoryAccountContext,
  PublicFileHost,
  RecordingLogger,
  WebhookRelay,
} from '../../../test/conformance';
import type { TwilioSimulator } from '../../../test/simulators/twilio';
import { plugin } from '..';
import type { SmsAdapter } from '../sms.adapter';
import { SmsSettings } from '../sms.settings';
import { createSmsConformanceHarness, type SmsHarnessAccount } from './sms-conformance.harness';

const PNG = BINARY_FIXTURES.image[0];
const PDF = BINARY_FIXTURES.file[0];

interface Account {
  platform: SmsHarnessAccount;
  context: InMemoryAccountContext;
}

describe('SmsAdapter: outbound MMS on the Twilio simulator', () => {
  const harness = createSmsConformanceHarness();
  const files = new PublicFileHost();
  let relay: WebhookRelay;
  let adapter: SmsAdapter;
  let sim: TwilioSimulator;
  let sequence = 0;

  beforeAll(async () => {
    await harness.start();
    await files.start();
    sim = harness.simulator();
    relay = new WebhookRelay('sms', () => adapter);
    await relay.start();
    const settings = Object.assign(new SmsSettings(), harness.pluginSettings());
    adapter = plugin.createAdapter({
      settings,
      publicUrl: relay.url,
      logger: new RecordingLogger(),
    }) as SmsAdapter;
  });

  afterAll(async () => {
    await adapter.shutdown();
    await relay.stop();
    await files.stop();
    await harness.stop();
  });

  async function receivingAccount(): Promise<Account> {
    const platform = await harness.createAccount();
    const accountId = `mms-test-${++sequence}`;
    const context = new InMemoryAccountContext({
      accountId,
      credentials: platform.credentials,
      webhookUrl: relay.webhookUrl(accountId),
    });
    relay.register(context);
    await adapter.startReceiving(context);
    return { platform, context };
  }

  /** A second number of the account, without MMS (SMS only). */
  async function smsOnlyAccount(): Promise<Account> {
    const base = await harness.createAccount();
    const number = sim.createPhoneNumber({
      accountSid: base.accountSid,
      phoneNumber: base.number.replace(/^\+1555010/, '+1555030'),
      capabilities: { sms: true, mms: false },
    });
    const accountId = `mms-test-${++sequence}`;
    const platform = {
      ...base,
      number: number.phoneNumber,
      credentials: { ...base.credentials, from: number.phoneNumber },
    };
    const context = new InMemoryAccountContext({
      accountId,
      credentials: platform.credentials,
      webhookUrl: relay.webhookUrl(accountId),
    });
    relay.register(context);
    return { platform, context };
  }

  const attachment = (
    fixture = PNG,
    overrides: Partial<OutboundAttachment> = {},
  ): OutboundAttachment => ({
    kind: fixture.kind,
    fileName: fixture.fileName,
    mimeType: fixture.mimeType,
    sizeBytes: fixture.bytes.length,
    open: async () => Readable.from([fixture.bytes]),
    publicUrl: files.publish({
      bytes: fixture.bytes,
      mimeType: fixture.mimeType,
      fileName: fixture.fileName,
    }),
    ...overrides,
  });

  const reply = (
    to: string,
    text: string,
    attachments: OutboundAttachment[],
    extra: Partial<OutboundMessage> = {},
  ): OutboundMessage => ({
    idempotencyKey: `mms-${++sequence}`,
    conversation: { externalId: to },
    text,
    attachments,
    ...extra,
  });

  const creates = (account: SmsHarnessAccount) =>
    sim
      .requests()
      .filter(
        (r) =>
          r.method === 'POST' &&
          r.path === `/2010-04-01/Accounts/${account.accountSid}/Messages.json`,
      ).length;

  /** Sends, expects a PermanentError before anything reached Twilio, and returns it. */
  async function refused(account: Account, message: OutboundMessage): Promise<PermanentError> {
    const before = creates(account.platform);
    const error = await adapter.send(account.context, message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(creates(account.platform)).toBe(before);
    return error as PermanentError;
  }

  async function failedStatus(account: Account, sid: string): Promise<DeliveryStatusEvent> {
    const event = await account.context.waitForEvent(
      (e) => e.type === 'status' && e.externalMessageId === sid && e.status === 'FAILED',
      { timeoutMs: 5000 },
    );
    return event as DeliveryStatusEvent;
  }

  it('sends attachments as MediaUrls: Twilio fetches the public URLs and the MMS is delivered', async () => {
    const account = await receivingAccount();
    const image = attachment(PNG);
    const pdf = attachment(PDF);
    const result = await adapter.send(
      account.context,
      reply(account.platform.customer, 'your invoice', [image, pdf]),
    );
    expect(result.externalMessageIds).toHaveLength(1);
    const sid = result.externalMessageIds[0];
    expect(sid).toMatch(/^MM/);
    const message = await sim.waitForStatus(sid, 'delivered');
    expect(message.body).toBe('your invoice');
    expect(message.media.map((m) => m.sourceUrl)).toEqual([image.publicUrl, pdf.publicUrl]);
    expect(message.media.map((m) => m.contentType)).toEqual(['image/png', 'application/pdf']);
    expect(message.media[0].data?.equals(PNG.bytes)).toBe(true);
    expect(message.media[1].data?.equals(PDF.bytes)).toBe(true);
    const fetched = files.requests.filter((r) => r.method === 'GET' && r.status === 200);
    expect(fetched.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        new URL(image.publicUrl ?? '').pathname,
        new URL(pdf.publicUrl ?? '').pathname,
      ]),
    );
    await account.context.waitForEvent(
      (e) => e.type === 'status' && e.externalMessageId === sid && e.status === 'SENT',
    );
    const logged = account.context.logger.entries.find((e) => e.message === 'sms: sent');
    expect(logged?.fields).toMatchObject({ messageId: sid, media: 2 });
  });

  it('an MMS without text is sent with the media alone (no Body)', async () => {
    const account = await receivingAccount();
    const result = await adapter.send(
      account.context,
      reply(account.platform.customer, '', [attachment()]),
    );
    const message = await sim.waitForStatus(result.externalMessageIds[0], 'delivered');
    expect(message.body).toBe('');
    expect(message.media).toHaveLength(1);
    const create = sim
      .requests()
      .filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json'))
      .pop();
    expect(create?.body).not.toHaveProperty('Body');
  });

  it('a long text with attachments: the media go with the first part, the rest as SMS', async () => {
    const account = await receivingAccount();
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const result = await adapter.send(
      account.context,
      reply(account.platform.customer, text, [attachment()]),
    );
    expect(result.externalMessageIds.length).toBeGreaterThan(1);
    const [first, ...rest] = result.externalMessageIds.map((sid) => sim.message(sid));
    expect(first?.media).toHaveLength(1);
    for (const part of rest) expect(part?.media).toEqual([]);
  });

  describe('refused at send, without calling Twilio, with a reason for the agent', () => {
    it('the sender number has no MMS capability (IncomingPhoneNumbers)', async () => {
      const account = await smsOnlyAccount();
      const error = await refused(
        account,
        reply(account.platform.customer, 'picture', [attachment()]),
      );
      expect(error.code).toBe('21621');
      expect(error.reason).toBe(
        `attachments cannot be sent: the sender ${account.platform.number} has no MMS capability (enable MMS on the number in Twilio, or send the text alone)`,
      );
      // Text alone still goes out from that number.
      const text = await adapter.send(
        account.context,
        reply(account.platform.customer, 'text only', []),
      );
      expect(text.externalMessageIds).toHaveLength(1);
    });

    it.each([
      ['the UK', '+447700900123'],
      ['the Bahamas (+1 242)', '+12423570000'],
    ])('the recipient is in %s, where Twilio sends no MMS', async (_where, customer) => {
      const account = await receivingAccount();
      const error = await refused(account, reply(customer, 'picture', [attachment()]));
      expect(error.code).toBe('mms_country');
      expect(error.reason).toBe(
        `attachments cannot be sent to ${customer}: Twilio sends MMS only to US and Canadian numbers (send the text alone)`,
      );
    });

    it('an attachment has no public URL', async () => {
      const account = await receivingAccount();
      const error = await refused(
        account,
        reply(account.platform.customer, 'picture', [
          attachment(PNG),
          attachment(PDF, { publicUrl: undefined }),
        ]),
      );
      expect(error).toMatchObject({
        code: 'mms_no_public_url',
        reason: `this attachment cannot be sent by MMS: no public URL (${PDF.fileName})`,
      });
    });

    it.each<[string, Partial<OutboundAttachment>[], string, string]>([
      [
        'a type Twilio does not accept',
        [{ fileName: 'archive.zip', mimeType: 'application/zip' }],
        'mms_type',
        '"archive.zip" cannot be sent by MMS: Twilio does not accept application/zip files',
      ],
      [
        'an image over 5 MB',
        [{ fileName: 'big.jpg', mimeType: 'image/jpeg', sizeBytes: 6_200_000 }],
        'mms_too_large',
        '"big.jpg" is too large for MMS (6.2 MB; images up to 5 MB)',
      ],
      [
        'another file over 500 KB',
        [{ fileName: 'manual.pdf', mimeType: 'application/pdf', sizeBytes: 500_001 }],
        'mms_too_large',
        '"manual.pdf" is too large for MMS (500.1 KB; files other than JPEG, PNG and GIF images up to 500 KB)',
      ],
      [
        'media over 5 MB together',
        [
          { fileName: 'a.jpg', mimeType: 'image/jpeg', sizeBytes: 3_000_000 },
          { fileName: 'b.jpg', mimeType: 'image/jpeg', sizeBytes: 2_500_000 },
        ],
        'mms_too_large',
        'the attachments are too large for one MMS (5.5 MB together; up to 5 MB)',
      ],
      [
        'more than 10 attachments',
        Array.from({ length: 11 }, () => ({})),
        'mms_too_many',
        'MMS takes at most 10 attachments per message (this reply has 11)',
      ],
    ])('%s', async (_what, overrides, code, reason) => {
      const account = await receivingAccount();
      const attachments = overrides.map((o) => attachment(PNG, o));
      const error = await refused(account, reply(account.platform.customer, 'files', attachments));
      expect(error).toMatchObject({ code, reason });
    });

    it('an opted-out customer is reported as such before any MMS check', async () => {
      const account = await receivingAccount();
      sim.addOptOut(account.platform.number, account.platform.customer);
      await adapter
        .send(account.context, reply(account.platform.customer, 'x', []))
        .catch(() => undefined);
      const error = await refused(
        account,
        reply(account.platform.customer, 'picture', [attachment(PNG, { publicUrl: undefined })]),
      );
      expect(error).toMatchObject({ reason: 'recipient opted out', code: '21610' });
    });
  });

  describe('refused by Twilio at send', () => {
    it('MMS switched off on the number after the adapter last looked: Twilio 21621', async () => {
      const account = await receivingAccount();
      const first = await adapter.send(
        account.context,
        reply(account.platform.customer, 'one', [attachment()]),
      );
      await sim.waitForStatus(first.externalMessageIds[0], 'delivered');
      sim.createPhoneNumber({
        accountSid: account.platform.accountSid,
        phoneNumber: account.platform.number,
        capabilities: { sms: true, mms: false },
      });
      const error = await adapter
        .send(account.context, reply(account.platform.customer, 'two', [attachment()]))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect(error).toMatchObject({
        code: '21621',
        reason: 'the sender number is not enabled for MMS (Twilio 21621)',
      });
    });
  });

  describe('failed after sending: a FAILED status with a readable reason', () => {
    it('the public URL no longer answers (expired link): 11200', async () => {
      const account = await receivingAccount();
      const image = attachment();
      files.revoke(image.publicUrl ?? '');
      const result = await adapter.send(
        account.context,
        reply(account.platform.customer, 'late', [image]),
      );
      const failed = await failedStatus(account, result.externalMessageIds[0]);
      expect(failed.reason).toBe(
        'Twilio could not download an attachment (its link failed or expired) (Twilio 11200)',
      );
    });

    it('the file behind the URL is of a type Twilio refuses: 12300', async () => {
      const account = await receivingAccount();
      const publicUrl = files.publish({ bytes: Buffer.from('<p>hi</p>'), mimeType: 'text/html' });
      const result = await adapter.send(
        account.context,
        reply(account.platform.customer, 'page', [attachment(PNG, { publicUrl })]),
      );
      const failed = await failedStatus(account, result.externalMessageIds[0]);
      expect(failed.reason).toBe(
        'Twilio does not accept the file type of an attachment for MMS (Twilio 12300)',
      );
    });

    it('a file of unknown size turns out too large: 30019', async () => {
      const account = await receivingAccount();
      const publicUrl = files.publish({
        bytes: Buffer.alloc(600_000, 1),
        mimeType: 'application/pdf',
      });
      const result = await adapter.send(
        account.context,
        reply(account.platform.customer, 'big', [
          attachment(PDF, { publicUrl, sizeBytes: undefined }),
        ]),
      );
      const failed = await failedStatus(account, result.externalMessageIds[0]);
      expect(failed.reason).toBe(
        'attachments too large for the carrier (MMS content size limit) (Twilio 30019)',
      );
    });

    it("the customer's phone takes no MMS: 30011", async () => {
      const account = await receivingAccount();
      sim.setDestination({ number: account.platform.customer, behavior: 'no-mms' });
      const result = await adapter.send(
        account.context,
        reply(account.platform.customer, 'picture', [attachment()]),
      );
      const failed = await failedStatus(account, result.externalMessageIds[0]);
      expect(failed.reason).toBe(
        "the recipient's phone or carrier does not take MMS (Twilio 30011)",
      );
    });
  });
});

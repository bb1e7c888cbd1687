/**
 * The SMS adapter against the Twilio simulator: opt-out, status callbacks, the reverse-proxy
 * signature case, an attachment without a public URL and the number's webhook configuration
 * (MMS in sms.mms.spec.ts).
 */
import { Readable } from 'node:stream';
import twilio from 'twilio';
import {
  PermanentError,
  type AdapterWebhookRequest,
  type InboundEvent,
  type OutboundMessage,
} from '../../../src/core/adapter';
import { InMemoryAccountContext, RecordingLogger, WebhookRelay } from '../../../test/conformance';
import type { TwilioSimulator } from '../../../test/simulators/twilio';
import { plugin } from '..';
import type { SmsAdapter } from '../sms.adapter';
import { SmsSettings } from '../sms.settings';
import { createSmsConformanceHarness, type SmsHarnessAccount } from './sms-conformance.harness';

describe('SmsAdapter on the Twilio simulator', () => {
  const harness = createSmsConformanceHarness();
  let relay: WebhookRelay;
  let adapter: SmsAdapter;
  let sim: TwilioSimulator;
  let sequence = 0;

  beforeAll(async () => {
    await harness.start();
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
    await harness.stop();
  });

  async function receivingAccount(): Promise<{
    platform: SmsHarnessAccount;
    context: InMemoryAccountContext;
  }> {
    const platform = await harness.createAccount();
    const accountId = `sms-test-${++sequence}`;
    const context = new InMemoryAccountContext({
      accountId,
      credentials: platform.credentials,
      webhookUrl: relay.webhookUrl(accountId),
    });
    relay.register(context);
    await adapter.startReceiving(context);
    return { platform, context };
  }

  const reply = (
    to: string,
    text: string,
    extra: Partial<OutboundMessage> = {},
  ): OutboundMessage => ({
    idempotencyKey: `reply-${++sequence}`,
    conversation: { externalId: to },
    text,
    attachments: [],
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

  async function injectText(
    account: { platform: SmsHarnessAccount; context: InMemoryAccountContext },
    body: string,
  ): Promise<InboundEvent> {
    const since = account.context.emitted.length;
    await sim.injectInbound({ from: account.platform.customer, to: account.platform.number, body });
    return account.context.waitForEvent((e) => e.type === 'message', { since });
  }

  it('startReceiving points the number at <webhookUrl>/inbound (POST)', async () => {
    const { platform, context } = await receivingAccount();
    const delivery = await sim.injectInbound({
      from: platform.customer,
      to: platform.number,
      body: 'hi',
    });
    expect(delivery.delivery?.url).toBe(`${context.webhookUrl}/inbound`);
    expect(delivery.delivery?.responseStatus).toBe(200);
    expect(delivery.delivery?.responseContentType).toMatch(/^text\/xml/);
    expect(delivery.delivery?.responseBody).toContain('<Response/>');
  });

  it('STOP is recorded and still emitted; replies then fail without calling Twilio; START clears it', async () => {
    const account = await receivingAccount();
    const stop = await injectText(account, 'Stop');
    expect(stop).toMatchObject({ type: 'message', text: 'Stop' });
    const before = creates(account.platform);
    const error = await adapter
      .send(account.context, reply(account.platform.customer, 'hello?'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).reason).toBe('recipient opted out');
    expect(creates(account.platform)).toBe(before);

    await injectText(account, 'START');
    const result = await adapter.send(
      account.context,
      reply(account.platform.customer, 'welcome back'),
    );
    expect(result.externalMessageIds).toHaveLength(1);
    expect(result.pendingDeliveryStatus).toBe(true);
  });

  it('Twilio 21610 (opted out elsewhere) -> "recipient opted out", remembered', async () => {
    const account = await receivingAccount();
    sim.addOptOut(account.platform.number, account.platform.customer);
    const first = await adapter
      .send(account.context, reply(account.platform.customer, 'x'))
      .catch((e: unknown) => e);
    expect(first).toMatchObject({ reason: 'recipient opted out', code: '21610' });
    const calls = creates(account.platform);
    await expect(
      adapter.send(account.context, reply(account.platform.customer, 'y')),
    ).rejects.toBeInstanceOf(PermanentError);
    expect(creates(account.platform)).toBe(calls);
  });

  it('status callbacks: one SENT per message, FAILED with the Twilio code for undelivered', async () => {
    const account = await receivingAccount();
    const ok = await adapter.send(account.context, reply(account.platform.customer, 'fine'));
    await sim.waitForStatus(ok.externalMessageIds[0], 'delivered', 5000);
    const sent = account.context.emitted.filter(
      (e) => e.type === 'status' && e.externalMessageId === ok.externalMessageIds[0],
    );
    expect(sent).toEqual([expect.objectContaining({ status: 'SENT' })]);

    sim.setDestination({ number: account.platform.customer, behavior: 'unreachable' });
    const lost = await adapter.send(account.context, reply(account.platform.customer, 'lost'));
    const failed = await account.context.waitForEvent(
      (e) => e.type === 'status' && e.status === 'FAILED',
      { timeoutMs: 5000 },
    );
    expect(failed).toMatchObject({
      externalMessageId: lost.externalMessageIds[0],
      reason: 'recipient handset unreachable (Twilio 30003)',
    });
  });

  it('splits over 1600 characters and reuses sent parts on a retry', async () => {
    const account = await receivingAccount();
    const text = Array.from({ length: 500 }, (_, i) => `w${i}`).join(' ') + ' ' + 'é'.repeat(1000);
    const message = reply(account.platform.customer, text);
    const first = await adapter.send(account.context, message);
    expect(first.externalMessageIds.length).toBeGreaterThan(1);
    const calls = creates(account.platform);
    const again = await adapter.send(account.context, message);
    expect(again.externalMessageIds).toEqual(first.externalMessageIds);
    expect(creates(account.platform)).toBe(calls);
    const logged = account.context.logger.entries.filter((e) => e.message === 'sms: sent');
    expect(logged[0].fields).toMatchObject({
      encoding: 'GSM-7',
      part: `1/${first.externalMessageIds.length}`,
    });
  });

  it('an attachment without a public URL fails clearly without calling Twilio', async () => {
    const account = await receivingAccount();
    const calls = creates(account.platform);
    const message = reply(account.platform.customer, 'see attached', {
      attachments: [
        {
          kind: 'image',
          fileName: 'a.png',
          mimeType: 'image/png',
          open: async () => Readable.from([Buffer.from('x')]),
        },
      ],
    });
    await expect(adapter.send(account.context, message)).rejects.toThrow(
      'this attachment cannot be sent by MMS: no public URL (a.png)',
    );
    expect(creates(account.platform)).toBe(calls);
  });

  it('behind a reverse proxy: verified over the public URL Twilio signed; the local URL fails', async () => {
    const account = await receivingAccount();
    const publicUrl = `https://sms.example.com/gw/adapters/sms/${account.context.accountId}/inbound`;
    const result = await sim.injectInbound({
      from: account.platform.customer,
      to: account.platform.number,
      body: 'via the proxy',
      url: publicUrl,
      deliverTo: `${account.context.webhookUrl}/inbound`,
    });
    // The relay passes its own (local) URL as publicUrl: what a misconfigured PUBLIC_URL gives.
    expect(result.delivery?.responseStatus).toBe(401);
    const delivery = result.delivery;
    if (!delivery) throw new Error('no delivery');
    expect(
      twilio.validateRequest(
        account.platform.authToken,
        delivery.signature,
        publicUrl,
        delivery.params,
      ),
    ).toBe(true);
    const request: AdapterWebhookRequest = {
      method: 'POST',
      subPath: '/inbound',
      publicUrl,
      headers: {
        'x-twilio-signature': delivery.signature,
        'content-type': 'application/x-www-form-urlencoded',
      },
      query: {},
      rawBody: Buffer.from(new URLSearchParams(delivery.params).toString()),
    };
    const answer = await adapter.handleWebhook(account.context, request);
    expect(answer.status).toBe(200);
    expect(account.context.emitted.at(-1)).toMatchObject({ text: 'via the proxy' });
  });

  it('status callbacks out of order or duplicated never go back', async () => {
    const account = await receivingAccount();
    const url = `${account.context.webhookUrl}/status`;
    const callback = (status: string, errorCode?: string): AdapterWebhookRequest => {
      const params: Record<string, string> = {
        MessageSid: `SM${'7'.repeat(32)}`,
        MessageStatus: status,
        To: account.platform.customer,
        From: account.platform.number,
      };
      if (errorCode) params.ErrorCode = errorCode;
      return {
        method: 'POST',
        subPath: '/status',
        publicUrl: url,
        headers: {
          'x-twilio-signature': twilio.getExpectedTwilioSignature(
            account.platform.authToken,
            url,
            params,
          ),
        },
        query: {},
        rawBody: Buffer.from(new URLSearchParams(params).toString()),
      };
    };
    for (const [status, code] of [
      ['sent'],
      ['undelivered', '30005'],
      ['delivered'],
      ['sent'],
      ['undelivered', '30005'],
    ] as [string, string?][]) {
      expect((await adapter.handleWebhook(account.context, callback(status, code))).status).toBe(
        200,
      );
    }
    expect(account.context.emitted.map((e) => (e.type === 'status' ? e.status : e.type))).toEqual([
      'SENT',
      'FAILED',
    ]);
  });

  it('a webhook Twilio sends twice gives the same event twice (same eventId)', async () => {
    const account = await receivingAccount();
    sim.addFault({ target: 'webhook', kind: 'duplicate', webhookKind: 'inbound', count: 1 });
    const since = account.context.emitted.length;
    await sim.injectInbound({
      from: account.platform.customer,
      to: account.platform.number,
      body: 'twice',
    });
    await account.context.waitForEvent((e) => e.type === 'message', { since });
    await sim.waitFor(() => account.context.emitted.length - since >= 2, 3000, 'the duplicate');
    const [first, second] = account.context.emitted.slice(since);
    expect(second).toEqual(first);
  });

  it('answers 404 for unknown sub-paths; handles webhooks also where it does not receive', async () => {
    const account = await receivingAccount();
    const url = `${account.context.webhookUrl}/other`;
    const params = { MessageSid: 'SM1', From: '+15550000001', To: account.platform.number };
    const signed = (publicUrl: string, subPath: string): AdapterWebhookRequest => ({
      method: 'POST',
      subPath,
      publicUrl,
      headers: {
        'x-twilio-signature': twilio.getExpectedTwilioSignature(
          account.platform.authToken,
          publicUrl,
          params,
        ),
      },
      query: {},
      rawBody: Buffer.from(new URLSearchParams(params).toString()),
    });
    expect((await adapter.handleWebhook(account.context, signed(url, '/other'))).status).toBe(404);
    // Another gateway process receives for the account (or this one stopped): Twilio does not
    // retry a refused webhook, so any process handles it.
    await adapter.stopReceiving(account.context.accountId);
    const inbound = `${account.context.webhookUrl}/inbound`;
    expect((await adapter.handleWebhook(account.context, signed(inbound, '/inbound'))).status).toBe(
      200,
    );
  });
});

/**
 * The conformance harness of the SMS plugin: the Twilio simulator on loopback behind a small proxy
 * (number webhook updates and one-shot 4xx errors, see twilio-api-proxy.ts). Each harness account
 * is a Twilio account with one number and one customer phone.
 */
import type { AdapterWebhookRequest, Credentials } from '../../../src/core/adapter';
import type { ConformanceHarness, CustomerEvent, HarnessAccount } from '../../../test/conformance';
import {
  startTwilioSimulator,
  twilioSignature,
  type PhoneNumber,
  type TwilioSimulator,
} from '../../../test/simulators/twilio';
import { TwilioApiProxy, type NumberUpdate } from './twilio-api-proxy';

export interface SmsHarnessAccount extends HarnessAccount {
  accountSid: string;
  authToken: string;
  number: string;
  customer: string;
}

const FAST_TIMING = {
  timeScale: 0.001,
  acceptedToQueuedMs: 2,
  queuedToSendingMs: 2,
  sendingToSentMs: 2,
  sentToDeliveredMs: 2,
  deliveredToReadMs: 2,
};

export interface SmsConformanceHarness extends ConformanceHarness<SmsHarnessAccount> {
  /** The simulator, for the plugin's own integration tests. */
  simulator(): TwilioSimulator;
  createAccount(): Promise<SmsHarnessAccount>;
}

export function createSmsConformanceHarness(): SmsConformanceHarness {
  let sim: TwilioSimulator | undefined;
  const numbers = new Map<string, PhoneNumber>();
  const tokens = new Map<string, string>();
  let sequence = 0;
  const simulator = (): TwilioSimulator => {
    if (!sim) throw new Error('harness not started');
    return sim;
  };
  const proxy = new TwilioApiProxy((update) =>
    applyNumberUpdate(simulator(), numbers, tokens, update),
  );

  const newAccount = (): SmsHarnessAccount => {
    sequence += 1;
    const account = simulator().createAccount({ friendlyName: `Conformance ${sequence}` });
    const suffix = String(1000 + sequence).padStart(4, '0');
    const number = simulator().createPhoneNumber({
      accountSid: account.sid,
      phoneNumber: `+1555010${suffix}`,
      capabilities: { sms: true, mms: true },
      friendlyName: `Support line ${sequence}`,
    });
    numbers.set(number.sid, number);
    tokens.set(account.sid, account.authToken);
    const customer = `+1555020${suffix}`;
    simulator().setDestination({ number: customer, behavior: 'deliver' });
    return {
      credentials: {
        accountSid: account.sid,
        authToken: account.authToken,
        from: number.phoneNumber,
      },
      accountSid: account.sid,
      authToken: account.authToken,
      number: number.phoneNumber,
      customer,
    };
  };

  return {
    simulator,
    async start() {
      const proxyUrl = await proxy.start();
      sim = await startTwilioSimulator({ publicBaseUrl: proxyUrl, timing: FAST_TIMING });
      proxy.forwardTo(sim.baseUrl);
    },
    async stop() {
      await proxy.stop();
      await sim?.close();
    },
    pluginSettings: () => ({ provider: 'twilio', apiBaseUrl: proxy.url, messagesPerSecond: 1000 }),
    createAccount: async () => newAccount(),
    async invalidCredentials(): Promise<Credentials[]> {
      const real = newAccount();
      const other = newAccount();
      return [
        { ...real.credentials, authToken: '0123456789abcdef0123456789abcdef' },
        { ...real.credentials, accountSid: 'AC0123456789abcdef0123456789abcdef' },
        { ...real.credentials, from: other.number },
        { ...real.credentials, from: '+15550999999' },
      ];
    },
    async injectCustomerEvent(account, event) {
      if (event.kind === 'read') {
        for (const sid of event.externalMessageIds) await postReadStatus(simulator(), account, sid);
        return {};
      }
      const result = await simulator().injectInbound(inboundOf(account, event));
      return { externalMessageId: result.message.sid };
    },
    async redeliverLastEvent(account) {
      const last = simulator()
        .inboundDeliveries()
        .filter((d) => d.params.To === account.number)
        .pop();
      if (!last) throw new Error('nothing delivered yet');
      await post(last.deliveredUrl, last.params, last.headers);
    },
    async receivedMessages(account) {
      const sent = simulator()
        .messages({ accountSid: account.accountSid, from: account.number })
        .filter((m) => m.direction === 'outbound-api');
      // Delivered, and its status callbacks answered: no callback trails into the next check.
      for (const m of sent) await simulator().waitForStatus(m.sid, 'delivered', 5000);
      // MMS media as Twilio fetched them from the attachments' public URLs. Twilio keeps no kind
      // or file name, only the served content type.
      return sent.map((m) => ({
        externalMessageId: m.sid,
        conversationExternalId: m.to,
        text: m.body,
        richText: [],
        attachments: m.media.map((item) => ({
          mimeType: item.contentType,
          bytes: item.data ?? Buffer.alloc(0),
        })),
      }));
    },
    async failNextSend(account, failure) {
      if (failure.type === 'rate-limit') {
        simulator().addFault({ kind: '429', method: 'POST', path: 'Messages\\.json$', count: 1 });
      } else {
        proxy.failNextCreate(account.accountSid, {
          code: 21614,
          message: `'To' number ${account.customer} is not a valid mobile number`,
          status: 400,
        });
      }
    },
    forgeWebhookRequests: (genuine) => forgeries(genuine),
  };
}

function inboundOf(account: SmsHarnessAccount, event: Exclude<CustomerEvent, { kind: 'read' }>) {
  const base = { from: account.customer, to: account.number };
  switch (event.kind) {
    case 'attachment': {
      const fixture = event.attachment;
      if (fixture.kind === 'location' || fixture.kind === 'contact') {
        throw new Error(`SMS does not receive ${fixture.kind} attachments`);
      }
      return { ...base, body: '', media: [{ contentType: fixture.mimeType, data: fixture.bytes }] };
    }
    case 'text':
    case 'reply':
    case 'edit':
      return { ...base, body: event.text };
  }
}

/** What Twilio posts when a channel reports that the customer read a message (RCS/WhatsApp). */
async function postReadStatus(
  sim: TwilioSimulator,
  account: SmsHarnessAccount,
  sid: string,
): Promise<void> {
  const message = sim.message(sid);
  if (!message?.statusCallback) throw new Error(`message ${sid} has no status callback`);
  const params = {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: account.accountSid,
    From: account.number,
    To: message.to,
    MessageStatus: 'read',
    SmsStatus: 'read',
    ApiVersion: '2010-04-01',
  };
  const signature = twilioSignature(account.authToken, message.statusCallback, params);
  await post(message.statusCallback, params, { 'X-Twilio-Signature': signature });
}

async function post(url: string, params: Record<string, string>, headers: Record<string, string>) {
  const kept = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !/^(content-length|host|connection)$/i.test(name)),
  );
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...kept, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  await response.arrayBuffer();
}

function applyNumberUpdate(
  sim: TwilioSimulator,
  numbers: Map<string, PhoneNumber>,
  tokens: Map<string, string>,
  update: NumberUpdate,
): boolean {
  const number = numbers.get(update.numberSid);
  const token = tokens.get(update.accountSid);
  const expected = `Basic ${Buffer.from(`${update.accountSid}:${token ?? ''}`).toString('base64')}`;
  if (!number || number.accountSid !== update.accountSid || update.authorization !== expected) {
    return false;
  }
  const method = update.params.get('SmsMethod');
  const updated = sim.createPhoneNumber({
    accountSid: number.accountSid,
    sid: number.sid,
    phoneNumber: number.phoneNumber,
    friendlyName: number.friendlyName,
    capabilities: number.capabilities,
    smsUrl: update.params.get('SmsUrl') ?? number.smsUrl,
    smsMethod: method === 'GET' || method === 'POST' ? method : number.smsMethod,
  });
  numbers.set(updated.sid, updated);
  return true;
}

const SIGNATURE = 'x-twilio-signature';

/** Forged variants: no signature, another token, a tampered parameter, another URL. */
export function forgeries(genuine: AdapterWebhookRequest): AdapterWebhookRequest[] {
  const headers = Object.fromEntries(
    Object.entries(genuine.headers).filter(([name]) => name.toLowerCase() !== SIGNATURE),
  );
  const params = Object.fromEntries(new URLSearchParams(genuine.rawBody.toString('utf8')));
  const tampered = new URLSearchParams({ ...params, Body: `${params.Body ?? ''} (tampered)` });
  const wrongToken = twilioSignature('ffffffffffffffffffffffffffffffff', genuine.publicUrl, params);
  const otherUrl = genuine.publicUrl.replace('/adapters/', '/elsewhere/adapters/');
  const signature = genuine.headers[SIGNATURE] ?? '';
  return [
    { ...genuine, headers },
    { ...genuine, headers: { ...headers, [SIGNATURE]: wrongToken } },
    { ...genuine, rawBody: Buffer.from(tampered.toString()) },
    { ...genuine, publicUrl: otherUrl, headers: { ...headers, [SIGNATURE]: signature } },
  ];
}

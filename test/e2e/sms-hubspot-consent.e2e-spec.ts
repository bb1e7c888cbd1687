/**
 * SMS (Twilio) end to end behind a reverse proxy, at the default long-code rate: webhooks signed
 * over the public URL, opt-out keywords (STOP & co. shown to the agent, replies FAILED "recipient
 * opted out"), START/HELP, and the per-number sending rate (default and per account) throttling
 * without loss.
 */
import twilio from 'twilio';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { helpDeskInboxId } from '../support/hubspot-world';
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
} from './sms-hubspot.world';

jest.setTimeout(120_000);

const OPTED_OUT = 'recipient opted out';
const LONG = 'x'.repeat(1600);

describe('SMS end to end behind a reverse proxy: signatures, opt-out, sending rate', () => {
  let world: SmsHubSpotWorld;
  let sms: ConnectedSms;
  let customerSequence = 0;

  const newCustomer = () => {
    const number = `+1555022${String(++customerSequence).padStart(4, '0')}`;
    world.twilio.setDestination({ number, behavior: 'deliver' });
    return number;
  };

  /** The customer texts `body`; resolves the HubSpot message and Twilio's automatic replies. */
  const customerSays = async (from: string, body: string, to: ConnectedSms = sms) => {
    const result = await customerTexts(world, to, { body, from });
    const stored = await published(world, to.account.id, result.message.sid);
    return {
      threadId: stored.hubspotThreadId ?? '',
      message: hubSpotMessage(world, stored.hubspotMessageId),
      replies: result.replies,
      delivery: result.delivery,
    };
  };

  /** A 1600-character reply (11 segments), then two short ones. */
  const repliesInARow = async (threadId: string) => {
    const ids: string[] = [];
    for (const text of [LONG, 'second', 'third']) {
      ids.push(await agentReplies(world, threadId, { text }));
    }
    return ids;
  };

  /** HubSpot ids of replies the gateway held back for a retry. */
  const held = () =>
    world.gateway
      .logs()
      .filter((line) => line.msg === 'agent message not sent yet; will retry')
      .map((line) => String(line.hubspotMessage));

  const failureOf = async (id: string) =>
    (await statusIs(world, id, 'FAILED')).status?.failureDetails?.errorMessage;

  beforeAll(async () => {
    // Default sending rate: 1 segment per second per number (a US long code), 10 s burst.
    world = await startSmsHubSpotWorld({
      messagesPerSecond: 'plugin default',
      behindProxyPrefix: '/gw',
    });
    sms = await connectSmsAccount(world, { inboxId: helpDeskInboxId(world) });
  });

  afterAll(() => world?.close());

  it('Twilio signs the public URL and reaches the gateway through the proxy, both ways', async () => {
    // The proxy serves the gateway under /gw and strips it: Twilio calls (and signs) that URL.
    expect(world.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gw$/);
    const webhookUrl = `${world.publicUrl}/adapters/sms/${sms.account.id}`;
    const customer = newCustomer();
    const { threadId, delivery } = await customerSays(customer, 'Hello through the proxy');
    expect(delivery).toMatchObject({
      url: `${webhookUrl}/inbound`,
      responseStatus: 200,
    });
    // Status callbacks go to the public URL too, and are accepted.
    const id = await agentReplies(world, threadId, { text: 'Hello back' });
    await statusIs(world, id, 'SENT');
    const [reply] = twilioMessagesTo(world, customer);
    expect(reply.statusCallback).toBe(`${webhookUrl}/status`);
    await world.twilio.waitForStatus(reply.sid, 'delivered');
    expect(world.twilio.statusCallbacks(reply.sid).map((d) => d.responseStatus)).toEqual([
      200, 200, 200,
    ]);

    // The same request signed over the local URL (what the gateway sees) is refused.
    const local = `${world.gateway.url}/adapters/sms/${sms.account.id}/inbound`;
    const params = delivery?.params ?? {};
    const response = await fetch(local, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(
          sms.platform.authToken,
          local,
          params,
        ),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(401);
  });

  it('STOP is shown to the agent; replies then end FAILED "recipient opted out" without Twilio; START re-subscribes', async () => {
    const customer = newCustomer();
    const { threadId } = await customerSays(customer, 'Where is my parcel?');
    const stop = await customerSays(customer, 'STOP');
    expect(stop.message).toMatchObject({ direction: 'INCOMING', text: 'STOP' });
    expect(stop.threadId).toBe(threadId);
    // Twilio confirmed the opt-out to the customer itself.
    expect(stop.replies.map((r) => r.body)).toEqual([expect.stringContaining('unsubscribed')]);

    const refused = await agentReplies(world, threadId, { text: 'Your parcel is on its way' });
    expect(await failureOf(refused)).toBe(OPTED_OUT);
    expect(createRequestsTo(world, customer)).toEqual([]);

    const start = await customerSays(customer, 'start');
    expect(start.message.text).toBe('start');
    const again = await agentReplies(world, threadId, { text: 'Welcome back' });
    await statusIs(world, again, 'SENT');
    expect(twilioMessagesTo(world, customer).map((m) => m.body)).toEqual(['Welcome back']);
  });

  it('UNSUBSCRIBE, CANCEL, END and QUIT opt out too (any case, surrounding spaces); HELP does not', async () => {
    for (const keyword of ['UNSUBSCRIBE', 'cancel', ' End ', 'QUIT']) {
      const customer = newCustomer();
      const { threadId, message } = await customerSays(customer, keyword);
      expect(message.text.trim()).toBe(keyword.trim());
      const id = await agentReplies(world, threadId, { text: `reply to ${keyword}` });
      expect(await failureOf(id)).toBe(OPTED_OUT);
      expect(createRequestsTo(world, customer)).toEqual([]);
    }
    const customer = newCustomer();
    const help = await customerSays(customer, 'HELP');
    expect(help.message.text).toBe('HELP');
    expect(help.replies).toHaveLength(1);
    const id = await agentReplies(world, help.threadId, { text: 'How can we help?' });
    await statusIs(world, id, 'SENT');
  });

  it('an opt-out Twilio knows from elsewhere (21610) fails the reply and is remembered', async () => {
    const customer = newCustomer();
    const { threadId } = await customerSays(customer, 'hi');
    // The customer opted out of this number through another path (Twilio's record only).
    world.twilio.addOptOut(sms.platform.number, customer);
    const first = await agentReplies(world, threadId, { text: 'one' });
    expect(await failureOf(first)).toBe(OPTED_OUT);
    expect(createRequestsTo(world, customer).map((r) => [r.status, r.errorCode])).toEqual([
      [400, 21610],
    ]);
    const second = await agentReplies(world, threadId, { text: 'two' });
    expect(await failureOf(second)).toBe(OPTED_OUT);
    expect(createRequestsTo(world, customer)).toHaveLength(1);
  });

  it('holds replies beyond the number’s rate (1 segment/s) and sends every one, in order', async () => {
    // A number of its own: the rate is per sender.
    const own = await connectSmsAccount(world, { inboxId: helpDeskInboxId(world) });
    const customer = own.platform.customer;
    const { threadId } = await customerSays(customer, 'tell me everything', own);
    // 1600 GSM-7 characters are 11 segments: more than the 10 s burst of a long code.
    const ids = await repliesInARow(threadId);
    for (const id of ids) await statusIs(world, id, 'SENT');

    const sent = twilioMessagesTo(world, customer);
    expect(sent.map((m) => m.body)).toEqual([LONG, 'second', 'third']);
    expect(sent.map((m) => m.numSegments)).toEqual([11, 1, 1]);
    // The bucket (10 segments of burst, refilled at 1 per second) lets a send through only while
    // it is not in debt: after 11 segments the second reply waits until 1 s after the first,
    // the third until 2 s after (whenever the agent's replies arrive). 100 ms for HTTP jitter.
    const since = sent.map((m) => m.dateCreated.getTime() - sent[0].dateCreated.getTime());
    expect(since[1]).toBeGreaterThanOrEqual(900);
    expect(since[2]).toBeGreaterThanOrEqual(1900);
    for (const id of ids) {
      expect(hubSpotMessage(world, id).statusHistory.map((h) => h.status.statusType)).toEqual([
        'SENT',
      ]);
    }
  });

  it('an account’s own rate (a toll-free or short-code number) replaces the default', async () => {
    const fast = await connectSmsAccount(world, { inboxId: helpDeskInboxId(world) });
    const accounts = world.gateway.app.get(ChannelAccountRepository);
    await accounts.updateSettings(fast.account.id, {
      ...fast.account.settings,
      messagesPerSecond: 100,
    });
    const customer = fast.platform.customer;
    const { threadId } = await customerSays(customer, 'quick please', fast);
    const ids = await repliesInARow(threadId);
    for (const id of ids) await statusIs(world, id, 'SENT');
    expect(twilioMessagesTo(world, customer).map((m) => m.body)).toEqual([LONG, 'second', 'third']);
    // 13 segments fit into a 100/s number's burst: nothing was held.
    expect(held().filter((id) => ids.includes(id))).toEqual([]);
  });
});

import { echoManifest } from '../../plugins/echo/echo.manifest';
import type { SentMessageView } from '../../plugins/echo/echo-platform';
import type { ChannelAccount } from '../../src/core/persistence/models/channel-account.model';
import type { StoredMessage } from '../../src/core/persistence/models/message.model';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { MessageRepository } from '../../src/core/persistence/repositories/message.repository';
import { JobQueue } from '../../src/core/queue/job-queue';
import { channelCapabilitiesOf } from '../../src/hubspot/channels/channel-capabilities';
import { HubSpotClient } from '../../src/hubspot/client/hubspot-client';
import {
  HUBSPOT_OUTGOING_QUEUE,
  type OutgoingMessageJob,
} from '../../src/hubspot/webhook/hubspot-event';
import { computeSignatureV3 } from '../../src/hubspot/webhook/hubspot-signature';
import type { Message as SimMessage } from '../simulators/hubspot/types';
import {
  boundAccount,
  connectThroughPopup,
  helpDeskInboxId,
  type HubSpotEchoWorld,
  startHubSpotEchoWorld,
} from '../support/hubspot-echo-world';
import {
  type AgentReply,
  agentReplies as replyAsAgent,
  type HubSpotStatusType,
  statusIs as waitForStatus,
  uploadToHubSpot as uploadFile,
} from '../support/hubspot-world';
import { eventually } from '../support/test-gateway';

jest.setTimeout(120_000);

describe('Outbound pipeline: agent replies delivered to the platform, status back to HubSpot', () => {
  let world: HubSpotEchoWorld;
  let bot: { id: string; token: string };
  let account: ChannelAccount;
  let hubspotAccountId: string;

  const repo = <T>(type: abstract new (...args: never[]) => T): T => world.gateway.app.get<T>(type);

  /** A customer writes in a new chat; resolves the HubSpot thread and their message. */
  const customerOpens = async (chatId: string, text = `hello from ${chatId}`) => {
    const sent = await world.echo.post<{ message_id: string }>(
      `/control/accounts/${bot.id}/customer/messages`,
      { chat_id: chatId, text },
    );
    const stored = await eventually(
      async () => {
        const found = await repo(MessageRepository).findByExternalId(account.id, sent.message_id);
        return found?.status === 'PUBLISHED' ? found : undefined;
      },
      20_000,
      `the customer message in ${chatId} to be published`,
    );
    return {
      threadId: stored.hubspotThreadId ?? '',
      customerHubSpotId: stored.hubspotMessageId ?? '',
      customerEchoId: sent.message_id,
    };
  };

  const agentReplies = (threadId: string, reply: AgentReply) =>
    replyAsAgent(world, threadId, reply);

  const simMessage = (id: string): SimMessage => {
    const message = world.sim.state.messages.get(id);
    if (!message) throw new Error(`HubSpot has no message ${id}`);
    return message;
  };

  /** Waits until HubSpot shows the status on the agent's message. */
  const statusIs = (id: string, status: HubSpotStatusType) => waitForStatus(world, id, status);

  const stored = async (hubspotId: string): Promise<StoredMessage> => {
    const found = await repo(MessageRepository).findByHubSpotId(hubspotId);
    if (!found) throw new Error(`no local record of ${hubspotId}`);
    return found;
  };

  const sentTo = async (chatId: string): Promise<SentMessageView[]> =>
    (await world.echo.sent(bot.id)).filter((message) => message.chat.id === chatId);

  const fault = (body: Record<string, unknown>) =>
    world.echo.post(`/control/accounts/${bot.id}/faults`, body);

  const outgoingIdle = () =>
    eventually(
      async () => {
        const stats = await repo(JobQueue).stats(HUBSPOT_OUTGOING_QUEUE);
        return stats.waiting + stats.active + stats.delayed === 0 ? true : undefined;
      },
      30_000,
      'the hubspot-outgoing queue to be idle',
    );

  const uploadToHubSpot = (name: string, contentType: string, content: Buffer) =>
    uploadFile(world, name, contentType, content);

  beforeAll(async () => {
    world = await startHubSpotEchoWorld();
    // Register the channel's attachment capabilities as the gateway derives them from the manifest.
    await world.gateway.app.get(HubSpotClient, { strict: false }).channels.update(world.channelId, {
      capabilities: channelCapabilitiesOf(echoManifest),
      channelDescription: echoManifest.description,
      channelLogoUrl: 'https://example.com/echo.png',
    });
    bot = await world.echo.createAccount('Outbound bot');
    const connected = await connectThroughPopup(world, bot, { inboxId: helpDeskInboxId(world) });
    hubspotAccountId = connected.hubspotId;
    account = await boundAccount(world.gateway, hubspotAccountId);
  });

  afterAll(() => world?.close());

  it('delivers replies in order, formatted as the adapter declared, and reports SENT', async () => {
    const { threadId } = await customerOpens('chat-order');
    // The first send is throttled (429, retry after 1 s): the later replies wait in its lane.
    await fault({ type: 'rate_limited', retry_after_seconds: 1 });
    const first = await agentReplies(threadId, {
      text: 'Hello Ada, see the docs',
      richText:
        '<p>Hello <strong>Ada</strong>, see <a href="https://example.com/docs">the docs</a></p>',
    });
    const second = await agentReplies(threadId, { text: 'second' });
    const third = await agentReplies(threadId, { text: 'third' });
    for (const id of [first, second, third]) await statusIs(id, 'SENT');

    const sent = await sentTo('chat-order');
    // Echo keeps its own plain text of an HTML message next to the markup.
    expect(sent.map((m) => m.text)).toEqual(['Hello Ada, see the docs', 'second', 'third']);
    expect(sent[0].html).toBe(
      'Hello <b>Ada</b>, see <a href="https://example.com/docs">the docs</a>',
    );
    const retried = world.gateway
      .logs()
      .filter((line) => line.msg === 'agent message not sent yet; will retry');
    expect(retried.map((line) => line.hubspotMessage)).toEqual([first]);
    // Throttled once, sent once: HubSpot saw SENT and nothing else.
    expect(simMessage(first).statusHistory.map((h) => h.status.statusType)).toEqual(['SENT']);
    for (const [index, id] of [first, second, third].entries()) {
      expect(await stored(id)).toMatchObject({
        status: 'SENT',
        direction: 'OUTGOING',
        hubspotThreadId: threadId,
        externalMessageIds: [sent[index].message_id],
      });
    }
  });

  it('streams files from HubSpot to the platform with their bytes', async () => {
    const { threadId } = await customerOpens('chat-files');
    const png = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    const pdf = Buffer.from('%PDF-1.7\n'.padEnd(5000, 'x'));
    const image = await uploadToHubSpot('diagram.png', 'image/png', png);
    const doc = await uploadToHubSpot('terms.pdf', 'application/pdf', pdf);
    const id = await agentReplies(threadId, {
      text: 'Here are the files',
      fileIds: [image.id, doc.id],
    });
    await statusIs(id, 'SENT');
    const [message] = await sentTo('chat-files');
    expect(message.text).toBe('Here are the files');
    expect(message.attachments.map((a) => [a.kind, a.file_name, a.mime_type])).toEqual([
      ['image', 'diagram.png', 'image/png'],
      ['file', 'terms.pdf', 'application/pdf'],
    ]);
    expect(Buffer.from(message.attachments[0].data_base64, 'base64').equals(png)).toBe(true);
    expect(Buffer.from(message.attachments[1].data_base64, 'base64').equals(pdf)).toBe(true);
  });

  it('replies to the platform message the agent replied to', async () => {
    const { threadId, customerHubSpotId, customerEchoId } = await customerOpens('chat-reply');
    const id = await agentReplies(threadId, {
      text: 'About that question',
      inReplyToId: customerHubSpotId,
    });
    await statusIs(id, 'SENT');
    const [message] = await sentTo('chat-reply');
    expect(message.reply_to_message_id).toBe(customerEchoId);
  });

  it('a permanent platform failure ends FAILED with a reason the agent can read', async () => {
    const { threadId } = await customerOpens('chat-blocked');
    await fault({ type: 'recipient_blocked', description: 'bot was blocked by the user' });
    const id = await agentReplies(threadId, { text: 'are you there?' });
    const failed = await statusIs(id, 'FAILED');
    const reason = 'The customer blocked this Echo account (bot was blocked by the user)';
    expect(failed.status).toEqual({
      statusType: 'FAILED',
      failureDetails: { errorMessage: reason, errorMessageTokens: {} },
    });
    expect(await stored(id)).toMatchObject({ status: 'FAILED', failureReason: reason });
    expect(await sentTo('chat-blocked')).toEqual([]);
  });

  it('a customer read receipt ends READ', async () => {
    const { threadId } = await customerOpens('chat-read');
    const first = await agentReplies(threadId, { text: 'one' });
    await statusIs(first, 'SENT');
    const second = await agentReplies(threadId, { text: 'two' });
    await statusIs(second, 'SENT');
    const sent = await sentTo('chat-read');
    await world.echo.post(`/control/accounts/${bot.id}/customer/reads`, {
      chat_id: 'chat-read',
      up_to_message_id: sent[1].message_id,
    });
    await statusIs(first, 'READ');
    await statusIs(second, 'READ');
    expect((await stored(second)).status).toBe('READ');
  });

  it('a redelivered webhook, or the same job queued again, never sends twice', async () => {
    const { threadId } = await customerOpens('chat-twice');
    const id = await agentReplies(threadId, { text: 'only once' });
    await statusIs(id, 'SENT');
    await world.sim.waitForWebhooks();
    const delivery = world.sim
      .webhookDeliveries({ eventType: 'OUTGOING_CHANNEL_MESSAGE_CREATED' })
      .find((d) => d.body.includes(`"id":"${id}"`));
    if (!delivery) throw new Error('no webhook delivery for the reply');

    // HubSpot delivers the same event again (a retry): the intake recognises it.
    const timestamp = String(Date.now());
    const redelivered = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': computeSignatureV3({
          clientSecret: world.sim.app.clientSecret,
          method: 'POST',
          uri: delivery.url,
          body: delivery.body,
          timestamp,
        }),
      },
      body: delivery.body,
    });
    expect(await redelivered.json()).toEqual({ accepted: 0, duplicates: 1, ignored: 0 });

    // The job itself runs again (e.g. a crash before the intake remembered the event).
    const job: OutgoingMessageJob = {
      portalId: world.portalId,
      channelId: world.channelId,
      channelAccountId: hubspotAccountId,
      messageId: id,
      dedupeKey: `again:${id}`,
      receivedAt: new Date().toISOString(),
      event: JSON.parse(delivery.body) as Record<string, unknown>,
    };
    await repo(JobQueue).enqueue(HUBSPOT_OUTGOING_QUEUE, job, { jobId: `again-${id}` });
    await outgoingIdle();
    await eventually(
      () => (simMessage(id).statusHistory.length === 2 ? true : undefined),
      10_000,
      'the status to be reported again',
    );
    expect(await sentTo('chat-twice')).toHaveLength(1);
    expect(simMessage(id).statusHistory.map((h) => h.status.statusType)).toEqual(['SENT', 'SENT']);
  });

  it('a reply waiting for a retry when HubSpot deactivates the account ends FAILED "channel deactivated"', async () => {
    const { threadId } = await customerOpens('chat-deactivated');
    // Long enough for HubSpot's CHANNEL_ACCOUNT_UPDATED to reach the gateway meanwhile.
    await fault({ type: 'rate_limited', retry_after_seconds: 5 });
    const id = await agentReplies(threadId, { text: 'one moment please' });
    await eventually(
      async () => ((await repo(MessageRepository).findByHubSpotId(id)) ? true : undefined),
      10_000,
      'the reply to be recorded',
    );
    world.sim.control.deactivateAccount(hubspotAccountId);
    await eventually(
      async () =>
        (await repo(ChannelAccountRepository).findById(account.id))?.authorized === false
          ? true
          : undefined,
      10_000,
      'the account to be deactivated',
    );
    const failed = await statusIs(id, 'FAILED');
    expect(failed.status?.failureDetails?.errorMessage).toBe('channel deactivated');
    expect(await stored(id)).toMatchObject({
      status: 'FAILED',
      failureReason: 'channel deactivated',
    });
    expect(await sentTo('chat-deactivated')).toEqual([]);
  });
});

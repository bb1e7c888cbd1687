/**
 * Telegram's two receive modes end to end, and gateway restarts in each: polling (the default
 * without an https PUBLIC_URL) with its stored offset, and webhook mode re-registering the
 * webhook at the restarted gateway's URL.
 */
import { readFileSync } from 'node:fs';
import type { Message as SimMessage } from '../simulators/hubspot/types';
import type { TgChat } from '../simulators/telegram';
import {
  type ConnectedBot,
  startTelegramHubSpotWorld,
  type TelegramHubSpotWorld,
} from '../support/telegram-hubspot-world';
import { eventually } from '../support/test-gateway';

jest.setTimeout(120_000);

const PUBLISH_PATH = '/conversations/v3/custom-channels/*/messages';

/** The customer messages of a HubSpot thread, oldest first. */
const threadTexts = (world: TelegramHubSpotWorld, threadId: string): string[] =>
  [...world.sim.state.messages.values()]
    .filter((m: SimMessage) => m.conversationsThreadId === threadId && m.direction === 'INCOMING')
    .map((m) => m.text);

describe('Telegram polling mode (default without https)', () => {
  let world: TelegramHubSpotWorld;
  let bot: ConnectedBot;
  let chat: TgChat;

  const say = async (text: string) => {
    const { message, update } = await world.telegram.injectMessage(bot.token, {
      chat_id: chat.id,
      text,
    });
    return { ...message, update_id: update?.update_id };
  };

  const published = (messageId: number) =>
    world.published(bot.account.id, `${chat.id}:${messageId}`, 30_000);

  beforeAll(async () => {
    // No `mode` in the config: the test gateway's PUBLIC_URL is http, so the bot polls.
    world = await startTelegramHubSpotWorld({ settings: { mediaGroupWaitMs: 300 } });
    bot = await world.connectBot('poll_support_bot', 'Poller');
    ({ chat } = await world.telegram.createCustomer({ first_name: 'Pat' }));
  });

  afterAll(() => world?.close());

  it('receives through getUpdates (no webhook), files and albums included, and replies', async () => {
    expect((await world.telegram.webhookState(bot.token)).config).toBeNull();
    const hello = await say('hello by polling');
    const stored = await published(hello.message_id);
    expect(world.hubspotMessage(stored).text).toBe('hello by polling');
    const polls = await world.telegram.requests({ token: bot.token, method: 'getUpdates' });
    expect(polls.length).toBeGreaterThan(0);
    expect(polls[0].params).toMatchObject({ timeout: 2 });

    const pictures = [7, 11].map((seed) =>
      Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * seed) % 256)),
    );
    const album = await world.telegram.injectMediaGroup(bot.token, {
      chat_id: chat.id,
      items: pictures.map((data, index) => ({
        type: 'photo' as const,
        media: { data, mime_type: 'image/png' },
        ...(index === 0 && { caption: 'two pictures' }),
      })),
    });
    const withPhotos = world.hubspotMessage(await published(album[0].message.message_id));
    expect(withPhotos.text).toBe('two pictures');
    const files = withPhotos.attachments.flatMap((a) => (a.type === 'FILE' ? [a] : []));
    expect(files.map((f) => f.fileUsageType)).toEqual(['IMAGE', 'IMAGE']);
    files.forEach((file, index) => {
      const stored = world.sim.state.files.get(String(file.fileId));
      expect(readFileSync(stored?.diskPath ?? '').equals(pictures[index])).toBe(true);
    });

    const reply = await world.agentReplies(stored.hubspotThreadId ?? '', { text: 'polled back' });
    await world.statusIs(reply, 'SENT');
    const [sent] = await world.telegram.sentMessages(bot.token, chat.id);
    expect((sent.messages[0] as { text: string }).text).toBe('polled back');
  });

  it('a restart in the middle of polling neither loses nor repeats updates', async () => {
    const before = await say('before the restart');
    const threadId = (await published(before.message_id)).hubspotThreadId ?? '';

    // HubSpot is unavailable: the gateway takes updates from Telegram (offset stored) and keeps
    // them in its queue, retrying the publish.
    const outage = world.sim.faults.add({ method: 'POST', path: PUBLISH_PATH, status: 503 });
    const queued = [await say('queued one'), await say('queued two')];
    await eventually(
      async () =>
        (await world.telegram.pendingUpdates(bot.token)).length === 0 ? true : undefined,
      15_000,
      'Telegram to see the updates confirmed',
    );
    await eventually(
      () => (world.sim.requests().some((r) => r.fault === outage.id) ? true : undefined),
      15_000,
      'a publish refused by HubSpot',
    );
    await world.stopGateway();

    // While no gateway runs, Telegram keeps what customers write.
    const whileDown = [await say('written while down'), await say('also while down')];
    expect(await world.telegram.pendingUpdates(bot.token)).toHaveLength(2);
    world.sim.faults.remove(outage.id);
    const restartedAt = Date.now();
    await world.startGateway();

    for (const message of [...queued, ...whileDown]) await published(message.message_id);
    expect(threadTexts(world, threadId).slice(-5)).toEqual([
      'before the restart',
      'queued one',
      'queued two',
      'written while down',
      'also while down',
    ]);
    // Nothing twice, and the new process went on from the stored offset.
    const texts = threadTexts(world, threadId);
    expect(new Set(texts).size).toBe(texts.length);
    const firstPoll = (
      await world.telegram.requests({ token: bot.token, method: 'getUpdates' })
    ).find((r) => r.at >= restartedAt);
    expect(Number(firstPoll?.params.offset)).toBe(whileDown[0].update_id);
    await eventually(
      async () =>
        (await world.telegram.pendingUpdates(bot.token)).length === 0 ? true : undefined,
      15_000,
      'the updates to be confirmed again',
    );
  });
});

describe('Telegram webhook mode across a restart', () => {
  let world: TelegramHubSpotWorld;
  let bot: ConnectedBot;
  let chat: TgChat;

  const say = async (text: string) =>
    (await world.telegram.injectMessage(bot.token, { chat_id: chat.id, text })).message;

  beforeAll(async () => {
    world = await startTelegramHubSpotWorld({ mode: 'webhook' });
    bot = await world.connectBot('hook_support_bot', 'Hooker');
    ({ chat } = await world.telegram.createCustomer({ first_name: 'Wes' }));
  });

  afterAll(() => world?.close());

  it('re-registers the webhook at the new address and delivers what came meanwhile, once', async () => {
    const first = await say('before');
    const stored = await world.published(bot.account.id, `${chat.id}:${first.message_id}`);
    const oldUrl = (await world.telegram.webhookState(bot.token)).config?.url;
    const secret = (await world.telegram.webhookState(bot.token)).config?.secretToken;

    await world.stopGateway();
    const whileDown = [await say('while down 1'), await say('while down 2')];
    await world.startGateway();
    await world.receiving(bot.account.id);

    const webhook = await world.telegram.webhookState(bot.token);
    expect(webhook.config?.url).toBe(`${world.gateway.url}/adapters/telegram/${bot.account.id}`);
    expect(webhook.config?.url).not.toBe(oldUrl);
    // The secret lives in the account state: the same one after the restart.
    expect(webhook.config?.secretToken).toBe(secret);
    for (const message of whileDown) {
      await world.published(bot.account.id, `${chat.id}:${message.message_id}`);
    }
    const after = await say('after');
    await world.published(bot.account.id, `${chat.id}:${after.message_id}`);
    expect(threadTexts(world, stored.hubspotThreadId ?? '')).toEqual([
      'before',
      'while down 1',
      'while down 2',
      'after',
    ]);

    // Agent replies reach the restarted gateway too.
    const reply = await world.agentReplies(stored.hubspotThreadId ?? '', { text: 'back again' });
    await world.statusIs(reply, 'SENT');
  });
});

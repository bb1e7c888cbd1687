/**
 * HubSpot -> Telegram end to end, limits and failures: Telegram's flood limits and 429s,
 * server errors, permanent refusals reaching the agent as FAILED, supergroup migrations (one
 * HubSpot thread before and after, replies to the supergroup).
 */
import { DEFAULT_RATE_LIMITS } from '../simulators/telegram/limits/rate-limiter';
import type { TgChat, TgUser } from '../simulators/telegram';
import {
  type ConnectedBot,
  startTelegramHubSpotWorld,
  type TelegramHubSpotWorld,
} from '../support/telegram-hubspot-world';

jest.setTimeout(120_000);

describe('HubSpot -> Telegram: limits and failures', () => {
  let world: TelegramHubSpotWorld;
  let bot: ConnectedBot;

  const customerOpens = (firstName: string) => world.customerOpens(bot, firstName);
  const customerWrites = (chat: TgChat, text: string, from?: TgUser) =>
    world.customerWrites(bot, chat, text, from);
  const sentTo = (chatId: number) => world.sentTo(bot, chatId);
  const localRecord = (hubspotId: string) => world.localRecord(hubspotId);
  const statusTypes = (hubspotId: string) => world.statusTypes(hubspotId);
  const textOf = (record: { messages: unknown[] }) => (record.messages[0] as { text: string }).text;

  beforeAll(async () => {
    world = await startTelegramHubSpotWorld({ mode: 'webhook' });
    bot = await world.connectBot('acme_limits_bot', 'Acme');
  });

  afterAll(() => world?.close());

  afterEach(async () => {
    await world.telegram.clearFaults();
    await world.telegram.setLimits({ ...DEFAULT_RATE_LIMITS, enabled: false });
  });

  it('reports FAILED with the reason when the customer blocked the bot or the chat is gone', async () => {
    const blocked = await customerOpens('Blocker');
    await world.telegram.blockBot(bot.token, blocked.user.id);
    const toBlocked = await world.agentReplies(blocked.threadId, { text: 'are you there?' });
    const failed = await world.statusIs(toBlocked, 'FAILED');
    expect(failed.status?.failureDetails?.errorMessage).toBe(
      'The customer blocked the Telegram bot',
    );
    expect(await localRecord(toBlocked)).toMatchObject({
      status: 'FAILED',
      failureReason: 'The customer blocked the Telegram bot',
    });

    const gone = await customerOpens('Gone');
    await world.telegram.addFault({
      token: bot.token,
      method: 'sendMessage',
      kind: 'error',
      status: 400,
      description: 'Bad Request: chat not found',
      count: 1,
    });
    const toGone = await world.agentReplies(gone.threadId, { text: 'hello?' });
    expect((await world.statusIs(toGone, 'FAILED')).status?.failureDetails?.errorMessage).toBe(
      'The Telegram conversation no longer exists (chat not found)',
    );
    expect(await sentTo(blocked.chat.id)).toEqual([]);
    expect(await sentTo(gone.chat.id)).toEqual([]);
  });

  it('retries a 429 after its retry_after and a 5xx, sending once', async () => {
    const { chat, threadId } = await customerOpens('Throttled');
    await world.telegram.addFault({
      token: bot.token,
      method: 'sendMessage',
      kind: 'error',
      status: 429,
      retry_after: 2,
      count: 1,
    });
    const throttled = await world.agentReplies(threadId, { text: 'after a pause' });
    const throttledAt = Date.now();
    await world.statusIs(throttled, 'SENT');
    const [first] = await sentTo(chat.id);
    // Sent no earlier than Telegram asked (the simulator stamps `at` when it accepted the call).
    const refused = (await world.telegram.requests({ token: bot.token, method: 'sendMessage' }))
      .filter((r) => r.status === 429)
      .at(-1);
    expect(first.at - (refused?.at ?? throttledAt)).toBeGreaterThanOrEqual(2000 - 50);
    expect(statusTypes(throttled)).toEqual(['SENT']);

    await world.telegram.addFault({
      token: bot.token,
      method: 'sendMessage',
      kind: 'error',
      status: 502,
      count: 2,
    });
    const afterOutage = await world.agentReplies(threadId, { text: 'after the outage' });
    await world.statusIs(afterOutage, 'SENT');
    const sent = await sentTo(chat.id);
    expect(sent.map((s) => textOf(s))).toEqual(['after a pause', 'after the outage']);
    expect(statusTypes(afterOutage)).toEqual(['SENT']);
  });

  // The limit tests: the simulator refuses (429) whatever exceeds its limits, so every message it
  // accepted kept to them. Whether the gateway paced itself or retried after retry_after, nothing
  // may be lost, doubled or reordered.
  it('keeps to the per-chat limit: a split text and later replies arrive once each, in order', async () => {
    const { chat, threadId } = await customerOpens('Chatty');
    await world.telegram.setLimits({ enabled: true, perChatPerSecond: 1, perChatBurst: 1 });
    const words = Array.from({ length: 1000 }, (_, i) => `item${String(i).padStart(4, '0')}`);
    const long = await world.agentReplies(threadId, { text: words.join(' ') });
    const short = [
      await world.agentReplies(threadId, { text: 'one more thing' }),
      await world.agentReplies(threadId, { text: 'and a last one' }),
    ];
    for (const id of [long, ...short]) await world.statusIs(id, 'SENT');
    const texts = (await sentTo(chat.id)).map((s) => textOf(s));
    expect(texts).toHaveLength(5);
    expect(texts.slice(0, 3).flatMap((t) => t.split(' '))).toEqual(words);
    expect(texts.slice(3)).toEqual(['one more thing', 'and a last one']);
    for (const id of [long, ...short]) expect(statusTypes(id)).toEqual(['SENT']);
  });

  it('keeps to a bot-wide limit across many chats, retrying what Telegram refused, losing nothing', async () => {
    const customers = [];
    for (let index = 0; index < 12; index++) customers.push(await customerOpens(`Many${index}`));
    // Stricter than the 30/s the adapter paces itself to, so that Telegram does refuse some.
    await world.telegram.setLimits({ enabled: true, globalPerSecond: 5, globalBurst: 5 });
    // Agents answer one after another (HubSpot's webhooks arrive as they type); the sends overlap.
    const ids: string[] = [];
    for (const [index, c] of customers.entries()) {
      ids.push(await world.agentReplies(c.threadId, { text: `reply ${index}` }));
    }
    for (const id of ids) await world.statusIs(id, 'SENT');
    for (const [index, c] of customers.entries()) {
      expect((await sentTo(c.chat.id)).map(textOf)).toEqual([`reply ${index}`]);
    }
    for (const id of ids) expect(statusTypes(id)).toEqual(['SENT']);
  });

  it('keeps to the per-group limit and follows a group migrated to a supergroup', async () => {
    const group = await world.telegram.createChat({ type: 'group', title: 'Partners' });
    const member = await world.telegram.createUser({ first_name: 'Grace' });
    const { threadId } = await customerWrites(group, 'hello from the group', member);

    // Telegram upgrades the group; the bot has not heard of it when the agent answers.
    const migration = await world.telegram.migrateChat(group.id, { tokens: [] });
    const supergroup = migration.chat.id;
    const first = await world.agentReplies(threadId, { text: 'welcome to the supergroup' });
    await world.statusIs(first, 'SENT');
    expect(await sentTo(group.id)).toEqual([]);
    const refusals = (
      await world.telegram.requests({ token: bot.token, method: 'sendMessage' })
    ).filter((r) => r.params.chat_id === group.id && r.status === 400);
    expect(refusals).toHaveLength(1);

    // 20 messages a minute per group, 2 at once: later replies wait for their turn.
    await world.telegram.setLimits({ enabled: true, perGroupPerMinute: 20, perGroupBurst: 2 });
    const more = [];
    for (let index = 0; index < 2; index++) {
      more.push(await world.agentReplies(threadId, { text: `group reply ${index}` }));
    }
    for (const id of more) await world.statusIs(id, 'SENT');
    const texts = (await sentTo(supergroup)).map((s) => textOf(s));
    expect(texts).toEqual(['welcome to the supergroup', 'group reply 0', 'group reply 1']);
    // The migration is remembered: no reply went to the old group again.
    const toOldGroup = (
      await world.telegram.requests({ token: bot.token, method: 'sendMessage' })
    ).filter((r) => r.params.chat_id === group.id);
    expect(toOldGroup).toHaveLength(1);

    // What the refused send taught goes for the way in too: the supergroup's messages continue
    // the group's HubSpot thread.
    const inSupergroup = await customerWrites(migration.chat, 'thanks, found it', member);
    expect(inSupergroup.threadId).toBe(threadId);
  });

  it('continues the HubSpot thread of a group that Telegram upgrades to a supergroup', async () => {
    const group = await world.telegram.createChat({ type: 'group', title: 'Suppliers' });
    const member = await world.telegram.createUser({ first_name: 'Ada' });
    const before = await customerWrites(group, 'hello from the group', member);

    // The bot hears of the upgrade: a service message in the group and one in the supergroup.
    const migration = await world.telegram.migrateChat(group.id, {
      tokens: [bot.token],
      from_id: member.id,
    });
    const supergroup = migration.chat;
    const after = await customerWrites(supergroup, 'hello from the supergroup', member);
    expect(after.threadId).toBe(before.threadId);

    const reply = await world.agentReplies(before.threadId, { text: 'same thread, new chat' });
    await world.statusIs(reply, 'SENT');
    expect((await sentTo(supergroup.id)).map((s) => textOf(s))).toEqual(['same thread, new chat']);
    // Known from the service messages: no send to the old group was even tried.
    const toOldGroup = (
      await world.telegram.requests({ token: bot.token, method: 'sendMessage' })
    ).filter((r) => r.params.chat_id === group.id);
    expect(toOldGroup).toEqual([]);

    // One thread holding the conversation, the service messages not in it.
    const thread = [...world.sim.state.messages.values()].filter(
      (m) => m.conversationsThreadId === before.threadId,
    );
    expect(thread.map((m) => [m.direction, m.text])).toEqual([
      ['INCOMING', 'Ada: hello from the group'],
      ['INCOMING', 'Ada: hello from the supergroup'],
      ['OUTGOING', 'same thread, new chat'],
    ]);
  });
});

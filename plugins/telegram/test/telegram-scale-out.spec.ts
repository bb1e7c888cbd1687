/**
 * Several gateway processes: one receives for a bot (holds its lease, owns the webhook), the
 * others stand by and still get its webhooks through a load balancer. Each "process" here is its
 * own TelegramAdapter and AccountContext; they share the account state, as they share the
 * database in production.
 */
import type { AdapterWebhookRequest, InboundMessageEvent } from '../../../src/core/adapter';
import { InMemoryStateStore } from '../../../test/conformance';
import { startTelegramSimulator, type TelegramSimulator } from '../../../test/simulators/telegram';
import type { TelegramAdapter } from '../telegram.adapter';
import { createAdapter, createBotAccount, newContext, until } from './telegram-test-setup';

const HEADER = 'x-telegram-bot-api-secret-token';

const webhook = (secret: string, update: object): AdapterWebhookRequest => ({
  method: 'POST',
  subPath: '',
  publicUrl: 'http://127.0.0.1/adapters/telegram/x',
  headers: { [HEADER]: secret },
  query: {},
  rawBody: Buffer.from(JSON.stringify(update)),
});

/** An album item as Telegram delivers it. */
const albumItem = (updateId: number, chatId: number, messageId: number, caption?: string) => ({
  update_id: updateId,
  message: {
    message_id: messageId,
    date: 1_760_000_000,
    chat: { id: chatId, type: 'private', first_name: 'Cu' },
    from: { id: chatId, is_bot: false, first_name: 'Cu' },
    media_group_id: 'album-1',
    photo: [{ file_id: `f${messageId}`, file_unique_id: `u${messageId}`, width: 9, height: 9 }],
    ...(caption ? { caption } : {}),
  },
});

describe('Telegram adapter across gateway processes', () => {
  let sim: TelegramSimulator;
  const adapters: TelegramAdapter[] = [];
  const process = () => {
    const adapter = createAdapter(sim, { mediaGroupWaitMs: 400 });
    adapters.push(adapter);
    return adapter;
  };

  beforeAll(async () => {
    sim = await startTelegramSimulator({ rateLimits: false, logRequests: false });
  });
  afterAll(async () => {
    for (const adapter of adapters) await adapter.shutdown();
    await sim.close();
  });

  it('handles a webhook in a process that does not receive for the account', async () => {
    const receiver = process();
    const standby = process();
    const { token, chatId, context } = await createBotAccount(sim);
    await receiver.startReceiving(context);
    const secret = (await context.state.get<string>('webhookSecret')) ?? '';
    const other = newContext(token, { state: context.state, accountId: context.accountId });
    const text = { update_id: 5, message: { ...albumItem(5, chatId, 50).message, photo: [] } };
    delete (text.message as { media_group_id?: string }).media_group_id;
    Object.assign(text.message, { text: 'hello from the load balancer' });
    expect((await standby.handleWebhook(other, webhook('wrong', text))).status).toBe(401);
    expect((await standby.handleWebhook(other, webhook(secret, text))).status).toBe(200);
    expect(other.emitted).toMatchObject([
      { type: 'message', text: 'hello from the load balancer' },
    ]);
    expect(context.emitted).toEqual([]);
    await receiver.stopReceiving(context.accountId);
  });

  it('assembles one album from items that reached two processes', async () => {
    const receiver = process();
    const standby = process();
    const { token, chatId, context } = await createBotAccount(sim);
    await receiver.startReceiving(context);
    const secret = (await context.state.get<string>('webhookSecret')) ?? '';
    const other = newContext(token, { state: context.state, accountId: context.accountId });
    // Telegram delivers concurrently (max_connections): both processes store at once.
    await Promise.all([
      receiver.handleWebhook(context, webhook(secret, albumItem(10, chatId, 100, 'two pics'))),
      standby.handleWebhook(other, webhook(secret, albumItem(11, chatId, 101))),
    ]);
    // A third item reaches the standby process later, resetting the quiet period for both.
    await new Promise((done) => setTimeout(done, 120));
    await standby.handleWebhook(other, webhook(secret, albumItem(12, chatId, 102)));
    await until(() => context.emitted.length + other.emitted.length >= 1, 3000);
    await new Promise((done) => setTimeout(done, 600));
    const events = [...context.emitted, ...other.emitted] as InboundMessageEvent[];
    // Either process may emit it; a second emission would carry the same id (deduplicated).
    expect(new Set(events.map((event) => event.eventId)).size).toBe(1);
    expect(events[0]).toMatchObject({ text: 'two pics' });
    expect(events[0].attachments).toHaveLength(3);

    // A redelivered item is dropped; a genuinely late one becomes its own message.
    await standby.handleWebhook(other, webhook(secret, albumItem(11, chatId, 101)));
    await receiver.handleWebhook(context, webhook(secret, albumItem(13, chatId, 103, 'late')));
    // The album itself may be emitted a second time by the other process, late on a loaded
    // machine: same event id, so the gateway drops it. Anything else must be the late item only.
    const albumEventId = events[0].eventId;
    const all = () =>
      ([...context.emitted, ...other.emitted] as InboundMessageEvent[]).filter(
        (event) => event.eventId !== albumEventId,
      );
    await until(() => all().length > 0, 3000);
    await new Promise((done) => setTimeout(done, 500));
    expect(all()).toMatchObject([{ text: 'late', eventId: expect.stringMatching(/:13$/) }]);
    await receiver.stopReceiving(context.accountId);
  });

  it('keeps the webhook registered when receiving moves to another process', async () => {
    const first = process();
    const second = process();
    const { token, context } = await createBotAccount(sim);
    await first.startReceiving(context);
    await first.stopReceiving(context.accountId, { handover: true });
    expect((await sim.webhookState(token)).config).toMatchObject({ url: context.webhookUrl });
    const other = newContext(token, { state: context.state, accountId: context.accountId });
    await second.startReceiving(other);
    expect((await sim.webhookState(token)).config).toMatchObject({ url: context.webhookUrl });
    // A full stop (account deactivated) removes it.
    await second.stopReceiving(context.accountId);
    expect((await sim.webhookState(token)).config?.url ?? '').toBe('');
  });

  it('answers 503 to a webhook of an account that receives by polling', async () => {
    const standby = process();
    const { token, chatId } = await createBotAccount(sim);
    const state = new InMemoryStateStore();
    await state.set('webhookSecret', 'old-secret');
    const context = newContext(token, { state });
    Object.assign(context, { settings: { mode: 'polling' } });
    const update = { update_id: 1, message: { ...albumItem(1, chatId, 1).message } };
    expect((await standby.handleWebhook(context, webhook('old-secret', update))).status).toBe(503);
    expect(context.emitted).toEqual([]);
  });

  it('shares the send journal: a retry in another process sends only what is missing', async () => {
    const one = process();
    const two = process();
    const { token, chatId, context } = await createBotAccount(sim);
    const other = newContext(token, { state: context.state, accountId: context.accountId });
    const message = {
      idempotencyKey: 'reply-1',
      conversation: { externalId: String(chatId) },
      text: 'answer',
      attachments: [],
    };
    const first = await one.send(context, message);
    const again = await two.send(other, message);
    expect(again.externalMessageIds).toEqual(first.externalMessageIds);
    expect(await sim.sentMessages(token, chatId)).toHaveLength(1);
  });
});

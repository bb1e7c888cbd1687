/**
 * The adapter's own flood limits against the simulator with Telegram's limits on: sends wait
 * for their slot instead of collecting 429s, and a 429 that still comes pauses the bot.
 */
import type { OutboundMessage } from '../../../src/core/adapter';
import { RateLimitedError } from '../../../src/core/adapter';
import { startTelegramSimulator, type TelegramSimulator } from '../../../test/simulators/telegram';
import type { TelegramAdapter } from '../telegram.adapter';
import { createAdapter, newContext } from './telegram-test-setup';

const message = (chatId: number, text: string): OutboundMessage => ({
  idempotencyKey: `${chatId}:${text}`,
  conversation: { externalId: String(chatId) },
  text,
  attachments: [],
});

describe('Telegram flood limits kept by the adapter', () => {
  let sim: TelegramSimulator;
  let adapter: TelegramAdapter;

  beforeAll(async () => {
    sim = await startTelegramSimulator({ logRequests: true }); // Telegram's limits: 30/s, 1/s per chat
    adapter = createAdapter(sim, {
      botMessagesPerSecond: 30,
      chatMessagesPerSecond: 1,
      groupMessagesPerMinute: 20,
    });
  });
  afterAll(async () => {
    await adapter.shutdown();
    await sim.close();
  });

  it('sends 45 messages to 15 chats at once without a single 429', async () => {
    const bot = await sim.createBot({ username: 'throttled_bot' });
    const context = newContext(bot.token);
    const chats = await Promise.all(
      Array.from({ length: 15 }, (_, i) => sim.createCustomer({ first_name: `C${i}` })),
    );
    const started = Date.now();
    await Promise.all(
      chats.map(async ({ chat }) => {
        for (const text of ['a', 'b', 'c']) await adapter.send(context, message(chat.id, text));
      }),
    );
    const elapsed = Date.now() - started;
    const log = await sim.requests({ token: bot.token, method: 'sendMessage' });
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
    expect(log.filter((entry) => entry.status === 200)).toHaveLength(45);
    // One per second per chat: the third message of each chat waits about 2 s.
    expect(elapsed).toBeGreaterThanOrEqual(1900);
  });

  it('turns a 429 into RateLimitedError and holds the bot’s next send for retry_after', async () => {
    const bot = await sim.createBot({ username: 'penalised_bot' });
    const context = newContext(bot.token);
    const { chat } = await sim.createCustomer({ first_name: 'P' });
    const other = await sim.createCustomer({ first_name: 'Q' });
    await sim.addFault({ token: bot.token, kind: 'error', status: 429, retry_after: 1, count: 1 });
    const error = await adapter.send(context, message(chat.id, 'x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(1000);
    const started = Date.now();
    await adapter.send(context, message(other.chat.id, 'y'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

import { InMemoryStateStore } from '../../../test/conformance';
import { startTelegramSimulator, type TelegramSimulator } from '../../../test/simulators/telegram';
import { OFFSET_KEY } from '../telegram-poller';
import type { TelegramAdapter } from '../telegram.adapter';
import { createAdapter, createBotAccount, newContext, texts, until } from './telegram-test-setup';

describe('polling mode', () => {
  let sim: TelegramSimulator;
  const adapters: TelegramAdapter[] = [];
  const polling = () => {
    const adapter = createAdapter(sim, {
      mode: 'polling',
      pollingTimeoutSeconds: 1,
      pollingRetryDelayMs: 50,
      mediaGroupWaitMs: 150,
    });
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

  it('survives a restart in the middle: no update lost, none repeated', async () => {
    const state = new InMemoryStateStore();
    const { token, chatId, context } = await createBotAccount(sim, { state });
    const first = polling();
    await first.startReceiving(context);
    let lastUpdateId = 0;
    for (const text of ['one', 'two', 'three']) {
      const { update } = await sim.injectMessage(token, { chat_id: chatId, text });
      lastUpdateId = update?.update_id ?? 0;
    }
    await until(() => context.emitted.length === 3);
    await first.stopReceiving(context.accountId);
    expect(await state.get(OFFSET_KEY)).toBe(lastUpdateId + 1);

    for (const text of ['four', 'five']) await sim.injectMessage(token, { chat_id: chatId, text });
    const restarted = newContext(token, { state, accountId: context.accountId });
    const second = polling();
    await second.startReceiving(restarted);
    await until(() => restarted.emitted.length === 2);
    expect(await restarted.eventsDuring(300)).toEqual([]);
    expect(texts(context)).toEqual(['one', 'two', 'three']);
    expect(texts(restarted)).toEqual(['four', 'five']);
    await second.stopReceiving(restarted.accountId);
  });

  it('keeps the offset when emit fails, so the update comes again', async () => {
    const { token, chatId, context } = await createBotAccount(sim);
    let failures = 1;
    const emit = context.emit.bind(context);
    context.emit = async (event) => {
      if (failures-- > 0) throw new Error('database down');
      await emit(event);
    };
    const adapter = polling();
    await adapter.startReceiving(context);
    await sim.injectMessage(token, { chat_id: chatId, text: 'retry me' });
    await until(() => context.emitted.length === 1);
    expect(texts(context)).toEqual(['retry me']);
    await adapter.stopReceiving(context.accountId);
  });

  it('stops promptly while a long poll is held, and starting twice polls once', async () => {
    const { context } = await createBotAccount(sim);
    const adapter = createAdapter(sim, { mode: 'polling', pollingTimeoutSeconds: 30 });
    adapters.push(adapter);
    await adapter.startReceiving(context);
    await adapter.startReceiving(context);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await adapter.stopReceiving(context.accountId);
    expect(Date.now() - started).toBeLessThan(1000);
    await adapter.stopReceiving(context.accountId);
  });

  it('emits one event for an album', async () => {
    const { token, chatId, context } = await createBotAccount(sim);
    const adapter = polling();
    await adapter.startReceiving(context);
    await sim.injectMediaGroup(token, {
      chat_id: chatId,
      items: [
        {
          type: 'document',
          media: { data: Buffer.from('a'), file_name: 'a.txt' },
          caption: 'both',
        },
        { type: 'document', media: { data: Buffer.from('b'), file_name: 'b.txt' } },
      ],
    });
    await until(() => context.emitted.length === 1);
    expect(await context.eventsDuring(300)).toEqual([]);
    expect(context.emitted[0]).toMatchObject({
      text: 'both',
      attachments: [{ fileName: 'a.txt' }, { fileName: 'b.txt' }],
    });
    // Nothing pending; the album's update ids are remembered to drop redeliveries.
    const groups = await context.state.get<Record<string, { items: unknown[] }>>('mediaGroups');
    expect(Object.values(groups ?? {}).map((album) => album.items)).toEqual([[]]);
    await adapter.stopReceiving(context.accountId);
  });
});

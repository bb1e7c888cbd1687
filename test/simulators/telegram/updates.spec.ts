import { startTelegramSimulator, type TelegramSimulator, type TgUpdate } from './index';
import { callApi } from './test-helpers';

describe('Telegram simulator: getUpdates', () => {
  let sim: TelegramSimulator;
  let token: string;
  let chatId: number;

  beforeAll(async () => {
    sim = await startTelegramSimulator({ rateLimits: false });
  });
  beforeEach(async () => {
    token = (await sim.createBot()).token;
    chatId = (await sim.createCustomer()).chat.id;
  });
  afterAll(() => sim.close());

  const updates = async (params: Record<string, unknown> = {}): Promise<TgUpdate[]> => {
    const res = await callApi(sim.baseUrl, token, 'getUpdates', params);
    expect(res.status).toBe(200);
    return res.body.result as TgUpdate[];
  };

  it('returns updates in order and confirms them only with a higher offset', async () => {
    await sim.injectMessage(token, { chat_id: chatId, text: 'one' });
    await sim.injectMessage(token, { chat_id: chatId, text: 'two' });
    const first = await updates();
    expect(first.map((u) => (u.message as { text: string }).text)).toEqual(['one', 'two']);
    expect(first[1].update_id).toBe(first[0].update_id + 1);
    // Without offset the same unconfirmed updates come again.
    expect(await updates()).toHaveLength(2);
    expect(await updates({ offset: first[0].update_id + 1 })).toHaveLength(1);
    expect(await updates({ offset: first[1].update_id + 1 })).toEqual([]);
    expect(await sim.pendingUpdates(token)).toEqual([]);
  });

  it('honours limit and negative offsets', async () => {
    for (const text of ['a', 'b', 'c', 'd'])
      await sim.injectMessage(token, { chat_id: chatId, text });
    expect(await updates({ limit: 2 })).toHaveLength(2);
    const last = await updates({ offset: -1 });
    expect(last.map((u) => (u.message as { text: string }).text)).toEqual(['d']);
    expect(await sim.pendingUpdates(token)).toHaveLength(1);
  });

  it('holds a long poll and returns early when an update arrives', async () => {
    const started = Date.now();
    const poll = updates({ timeout: 10 });
    await new Promise((r) => setTimeout(r, 100));
    await sim.injectMessage(token, { chat_id: chatId, text: 'wake up' });
    const result = await poll;
    expect(result).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('returns an empty list when the long poll times out', async () => {
    const started = Date.now();
    expect(await updates({ timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('terminates a held poll with 409 when a second getUpdates starts', async () => {
    const first = callApi(sim.baseUrl, token, 'getUpdates', { timeout: 10 });
    await new Promise((r) => setTimeout(r, 100));
    const second = callApi(sim.baseUrl, token, 'getUpdates', { timeout: 1 });
    const older = await first;
    expect(older).toEqual({
      status: 409,
      body: {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      },
    });
    expect((await second).status).toBe(200);
  });

  it('answers 409 while a webhook is set', async () => {
    await callApi(sim.baseUrl, token, 'setWebhook', { url: 'http://127.0.0.1:9/hook' });
    const res = await callApi(sim.baseUrl, token, 'getUpdates', {});
    expect(res.body).toEqual({
      ok: false,
      error_code: 409,
      description:
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    });
    await callApi(sim.baseUrl, token, 'deleteWebhook', {});
    expect((await callApi(sim.baseUrl, token, 'getUpdates', {})).status).toBe(200);
  });

  it('filters new updates by allowed_updates (kept between calls)', async () => {
    await updates({ allowed_updates: ['edited_message'] });
    const sent = await sim.injectMessage(token, { chat_id: chatId, text: 'ignored' });
    expect(sent.update).toBeUndefined();
    await sim.injectEdit(token, {
      chat_id: chatId,
      message_id: sent.message.message_id,
      text: 'edited',
    });
    const got = await updates();
    expect(got).toHaveLength(1);
    expect(got[0].edited_message).toMatchObject({ text: 'edited', edit_date: expect.any(Number) });
    // [] = everything except chat_member, message_reaction, message_reaction_count.
    await updates({ allowed_updates: [], offset: got[0].update_id + 1 });
    expect((await sim.injectUpdate(token, 'message_reaction', {})).update).toBeUndefined();
    expect(
      (await sim.injectMessage(token, { chat_id: chatId, text: 'back' })).update,
    ).toBeDefined();
  });
});

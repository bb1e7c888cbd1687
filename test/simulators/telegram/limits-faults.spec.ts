import { startTelegramSimulator, type TelegramSimulator } from './index';
import { callApi } from './test-helpers';

describe('Telegram simulator: flood limits', () => {
  let sim: TelegramSimulator;
  let token: string;
  let clock = 1_700_000_000_000;

  beforeAll(async () => {
    sim = await startTelegramSimulator({ now: () => clock });
  });
  beforeEach(async () => {
    token = (await sim.createBot()).token;
  });
  afterAll(() => sim.close());

  const send = (chatId: number) =>
    callApi(sim.baseUrl, token, 'sendMessage', { chat_id: chatId, text: 'x' });

  it('allows a short burst per chat, then 429 with retry_after until a second passes', async () => {
    const { chat } = await sim.createCustomer();
    for (let i = 0; i < 3; i++) expect((await send(chat.id)).status).toBe(200);
    const limited = await send(chat.id);
    expect(limited).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      },
    });
    clock += 1000;
    expect((await send(chat.id)).status).toBe(200);
  });

  it('limits a group to 20 messages per minute', async () => {
    await sim.setLimits({ perChatPerSecond: 100, perChatBurst: 100 });
    const group = await sim.createChat({ type: 'supergroup', title: 'busy' });
    for (let i = 0; i < 20; i++) expect((await send(group.id)).status).toBe(200);
    const limited = await send(group.id);
    expect(limited.body.parameters).toEqual({ retry_after: 3 });
    clock += 3000;
    expect((await send(group.id)).status).toBe(200);
  });

  it('limits a bot to about 30 messages per second across chats, and can be switched off', async () => {
    await sim.setLimits({ perChatPerSecond: 1, perChatBurst: 3 });
    const chats = await Promise.all(Array.from({ length: 31 }, () => sim.createCustomer()));
    const statuses: number[] = [];
    for (const { chat } of chats) statuses.push((await send(chat.id)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses[30]).toBe(429);
    await sim.setLimits({ enabled: false });
    expect((await send(chats[30].chat.id)).status).toBe(200);
    await sim.setLimits({ enabled: true });
  });
});

describe('Telegram simulator: fault injection', () => {
  let sim: TelegramSimulator;
  let token: string;
  let chatId: number;

  beforeAll(async () => {
    sim = await startTelegramSimulator({
      rateLimits: false,
      faults: [{ method: 'getChatMember', kind: 'error', status: 502 }],
    });
    token = (await sim.createBot()).token;
    chatId = (await sim.createCustomer()).chat.id;
  });
  afterEach(() => sim.clearFaults());
  afterAll(() => sim.close());

  it('applies faults configured in the options', async () => {
    const res = await callApi(sim.baseUrl, token, 'getChatMember', { chat_id: chatId, user_id: 1 });
    expect(res.body).toEqual({ ok: false, error_code: 502, description: 'Bad Gateway' });
  });

  it('forces 429 with retry_after for the next N calls of one method', async () => {
    await sim.addFault({
      method: 'sendMessage',
      kind: 'error',
      status: 429,
      retry_after: 7,
      count: 2,
    });
    const send = () => callApi(sim.baseUrl, token, 'sendMessage', { chat_id: chatId, text: 'x' });
    expect((await send()).body).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      parameters: { retry_after: 7 },
    });
    expect((await send()).status).toBe(429);
    expect((await send()).status).toBe(200);
    expect(await sim.listFaults()).toEqual([]);
  });

  it('injects 500 for a bot token and applies probabilities deterministically', async () => {
    await sim.addFault({ token, kind: 'error', status: 500, probability: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await callApi(sim.baseUrl, token, 'getMe')).status);
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(3);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(3);
    const res = await callApi(sim.baseUrl, token, 'getMe');
    if (res.status === 500) {
      expect(res.body).toEqual({
        ok: false,
        error_code: 500,
        description: 'Internal Server Error',
      });
    }
  });

  it('delays and drops connections', async () => {
    await sim.addFault({ method: 'getMe', kind: 'delay', delay_ms: 300, count: 1 });
    const started = Date.now();
    expect((await callApi(sim.baseUrl, token, 'getMe')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    const fault = await sim.addFault({ method: 'getMe', kind: 'drop' });
    await expect(callApi(sim.baseUrl, token, 'getMe')).rejects.toThrow();
    expect(await sim.removeFault(fault.id)).toEqual({ removed: true });
    expect((await callApi(sim.baseUrl, token, 'getMe')).status).toBe(200);
    const log = await sim.requests({ token, method: 'getMe' });
    expect(log.some((entry) => entry.status === 0 && entry.error === 'connection dropped')).toBe(
      true,
    );
  });
});

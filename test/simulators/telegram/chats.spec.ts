import { startTelegramSimulator, type TelegramSimulator, type TgUpdate } from './index';
import { callApi, TINY_PNG } from './test-helpers';

describe('Telegram simulator: chats, customers and injected updates', () => {
  let sim: TelegramSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startTelegramSimulator({ rateLimits: false });
    token = (await sim.createBot()).token;
  });
  afterAll(() => sim.close());

  const drain = async (): Promise<TgUpdate[]> => {
    const res = await callApi(sim.baseUrl, token, 'getUpdates', {});
    const updates = res.body.result as TgUpdate[];
    const last = updates.at(-1);
    if (last) await callApi(sim.baseUrl, token, 'getUpdates', { offset: last.update_id + 1 });
    return updates;
  };

  it('answers 403 when the user blocked the bot and emits my_chat_member', async () => {
    const { user, chat } = await sim.createCustomer({ first_name: 'Cy' });
    await drain();
    const { update } = await sim.blockBot(token, user.id);
    expect(update?.my_chat_member).toMatchObject({
      chat: { id: chat.id },
      from: { id: user.id },
      old_chat_member: { status: 'member' },
      new_chat_member: { status: 'kicked' },
    });
    const res = await callApi(sim.baseUrl, token, 'sendMessage', { chat_id: chat.id, text: 'hi' });
    expect(res).toEqual({
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    await sim.unblockBot(token, user.id);
    const again = await callApi(sim.baseUrl, token, 'sendMessage', {
      chat_id: chat.id,
      text: 'hi',
    });
    expect(again.status).toBe(200);
  });

  it('answers 400 chat not found for unknown chats', async () => {
    const res = await callApi(sim.baseUrl, token, 'sendMessage', { chat_id: 424242, text: 'x' });
    expect(res.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: chat not found',
    });
  });

  it('migrates a group to a supergroup and redirects sends with migrate_to_chat_id', async () => {
    const { user } = await sim.createCustomer();
    const group = await sim.createChat({ type: 'group', title: 'Support' });
    expect(group.id).toBeLessThan(0);
    await sim.injectMessage(token, { chat_id: group.id, from_id: user.id, text: 'in group' });
    await drain();
    const migrated = await sim.migrateChat(group.id, { tokens: [token], from_id: user.id });
    expect(migrated.chat).toMatchObject({ type: 'supergroup', title: 'Support' });
    expect(String(migrated.chat.id)).toMatch(/^-100\d+$/);
    const updates = await drain();
    expect(updates.map((u) => u.message)).toEqual([
      expect.objectContaining({
        chat: expect.objectContaining({ id: group.id }),
        migrate_to_chat_id: migrated.chat.id,
      }),
      expect.objectContaining({
        chat: expect.objectContaining({ id: migrated.chat.id }),
        migrate_from_chat_id: group.id,
      }),
    ]);
    const old = await callApi(sim.baseUrl, token, 'sendMessage', { chat_id: group.id, text: 'x' });
    expect(old.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: migrated.chat.id },
    });
    const fresh = await callApi(sim.baseUrl, token, 'sendMessage', {
      chat_id: migrated.chat.id,
      text: 'x',
    });
    expect(fresh.status).toBe(200);
  });

  it('injects every customer message kind the gateway maps', async () => {
    const { chat } = await sim.createCustomer();
    const inject = (input: Omit<Parameters<TelegramSimulator['injectMessage']>[1], 'chat_id'>) =>
      sim.injectMessage(token, { chat_id: chat.id, ...input }).then((r) => r.message);
    const text = await inject({
      text: 'bold /start',
      entities: [{ type: 'bold', offset: 0, length: 4 }],
    });
    expect(text.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'bot_command', offset: 5, length: 6 },
    ]);
    const photo = await inject({
      photo: [
        { data: TINY_PNG, width: 90, height: 90 },
        { data: Buffer.alloc(2048, 1), width: 800, height: 800 },
      ],
      caption: 'pic',
    });
    expect(photo.photo).toEqual([
      expect.objectContaining({ width: 90, file_size: TINY_PNG.length }),
      expect.objectContaining({ width: 800, file_size: 2048 }),
    ]);
    expect(photo.caption).toBe('pic');
    const generated = await inject({
      photo: { data: Buffer.alloc(10), width: 1600, height: 1200 },
    });
    expect((generated.photo as unknown[]).length).toBeGreaterThan(1);
    expect(
      (await inject({ document: { data: Buffer.from('%PDF'), file_name: 'a.pdf' } })).document,
    ).toMatchObject({
      file_name: 'a.pdf',
      mime_type: 'application/pdf',
      file_size: 4,
    });
    expect(
      (await inject({ audio: { size: 100, performer: 'P', duration: 9 } })).audio,
    ).toMatchObject({
      performer: 'P',
      duration: 9,
    });
    expect((await inject({ video: { size: 10, duration: 5 } })).video).toMatchObject({
      duration: 5,
    });
    expect((await inject({ video_note: { size: 10, length: 200 } })).video_note).toMatchObject({
      length: 200,
    });
    expect((await inject({ animation: { size: 10 } })).animation).toBeDefined();
    for (const [format, animated, video] of [
      ['static', false, false],
      ['animated', true, false],
      ['video', false, true],
    ] as const) {
      const sticker = await inject({ sticker: { size: 10, sticker_format: format, emoji: '🔥' } });
      expect(sticker.sticker).toMatchObject({
        is_animated: animated,
        is_video: video,
        emoji: '🔥',
      });
    }
    expect((await inject({ location: { latitude: 1.5, longitude: 2.5 } })).location).toEqual({
      latitude: 1.5,
      longitude: 2.5,
    });
    expect((await inject({ contact: { phone_number: '+1', first_name: 'Z' } })).contact).toEqual({
      phone_number: '+1',
      first_name: 'Z',
    });
    const reply = await inject({ text: 'reply', reply_to_message_id: text.message_id });
    expect(reply.reply_to_message).toMatchObject({
      message_id: text.message_id,
      text: 'bold /start',
    });

    const album = await sim.injectMediaGroup(token, {
      chat_id: chat.id,
      items: [
        { type: 'photo', media: { data: TINY_PNG }, caption: 'two pics' },
        { type: 'photo', media: { data: TINY_PNG } },
      ],
    });
    expect(album).toHaveLength(2);
    expect(album[0].message.media_group_id).toBe(album[1].message.media_group_id);

    const edited = await sim.injectEdit(token, {
      chat_id: chat.id,
      message_id: text.message_id,
      text: 'changed',
    });
    expect(edited.update?.edited_message).toMatchObject({
      message_id: text.message_id,
      text: 'changed',
    });
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, InputFile, InputMediaBuilder, webhookCallback } from 'grammy';
import { startTelegramSimulator, type TelegramSimulator } from './index';
import { TINY_PNG } from './test-helpers';

describe('Telegram simulator: grammY compatibility', () => {
  let sim: TelegramSimulator;
  let token: string;
  let chatId: number;
  let bot: Bot;

  beforeAll(async () => {
    sim = await startTelegramSimulator({ rateLimits: false });
    token = (await sim.createBot({ username: 'grammy_sim_bot', first_name: 'Gram' })).token;
    chatId = (await sim.createCustomer({ first_name: 'Dee' })).chat.id;
    bot = new Bot(token, { client: { apiRoot: sim.baseUrl } });
  });
  afterAll(() => sim.close());

  it('getMe, sendMessage and sendPhoto with an InputFile upload', async () => {
    const me = await bot.api.getMe();
    expect(me).toMatchObject({ is_bot: true, username: 'grammy_sim_bot', first_name: 'Gram' });
    expect(me.id).toBe(Number(token.split(':')[0]));

    const text = await bot.api.sendMessage(chatId, '<b>hello</b> from grammY', {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    expect(text).toMatchObject({ text: 'hello from grammY', chat: { id: chatId } });
    expect(text.entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);

    const photo = await bot.api.sendPhoto(chatId, new InputFile(TINY_PNG, 'tiny.png'), {
      caption: 'a pixel',
      reply_parameters: { message_id: text.message_id },
    });
    expect(photo.caption).toBe('a pixel');
    expect(photo.reply_to_message?.message_id).toBe(text.message_id);
    const largest = photo.photo?.at(-1);
    expect(largest?.file_size).toBe(TINY_PNG.length);
    const file = await bot.api.getFile(largest?.file_id ?? '');
    const bytes = await fetch(sim.fileUrl(token, file.file_path ?? ''));
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(TINY_PNG);

    const [record] = (await sim.sentMessages(token, chatId)).slice(-1);
    expect(record.method).toBe('sendPhoto');
    expect(record.files[0]).toMatchObject({ file_name: 'tiny.png', size: TINY_PNG.length });
    const log = await sim.requests({ token, method: 'sendPhoto' });
    expect(String(log.at(-1)?.params.photo)).toMatch(/^attach:\/\//);
  });

  it('sends a media group of uploads', async () => {
    const messages = await bot.api.sendMediaGroup(chatId, [
      InputMediaBuilder.photo(new InputFile(TINY_PNG, 'a.png'), { caption: 'first' }),
      InputMediaBuilder.photo(new InputFile(TINY_PNG, 'b.png')),
    ]);
    expect(messages).toHaveLength(2);
    const groupIds = messages.map((m) => (m as { media_group_id?: string }).media_group_id);
    expect(groupIds[0]).toBeDefined();
    expect(groupIds[1]).toBe(groupIds[0]);
  });

  it('surfaces Telegram errors as GrammyError with parameters', async () => {
    const { user, chat } = await sim.createCustomer();
    await sim.blockBot(token, user.id);
    await expect(bot.api.sendMessage(chat.id, 'x')).rejects.toMatchObject({
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    await sim.addFault({
      token,
      method: 'sendMessage',
      kind: 'error',
      status: 429,
      retry_after: 3,
      count: 1,
    });
    const error = await bot.api.sendMessage(chatId, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).parameters).toEqual({ retry_after: 3 });
  });

  it('long-polls with bot.start() and replies through ctx.reply', async () => {
    const poller = new Bot(token, { client: { apiRoot: sim.baseUrl } });
    const replied = new Promise<void>((resolve) => {
      poller.on('message:text', async (ctx) => {
        await ctx.reply(`echo: ${ctx.message.text}`, {
          reply_parameters: { message_id: ctx.message.message_id },
        });
        resolve();
      });
    });
    const started = new Promise<void>((resolve) => {
      void poller.start({ onStart: () => resolve(), timeout: 5 });
    });
    await started;
    const { message } = await sim.injectMessage(token, { chat_id: chatId, text: 'ping' });
    await replied;
    await poller.stop();
    const sent = await sim.sentMessages(token, chatId);
    expect(sent.at(-1)?.messages[0]).toMatchObject({
      text: 'echo: ping',
      reply_to_message: { message_id: message.message_id },
    });
    const methods = (await sim.requests({ token })).map((r) => r.method);
    expect(methods).toEqual(expect.arrayContaining(['deleteWebhook', 'getUpdates']));
  });

  it('delivers webhooks that grammY webhookCallback accepts (secret token checked)', async () => {
    const hooked = new Bot(token, { client: { apiRoot: sim.baseUrl } });
    await hooked.init();
    const got = new Promise<string>((resolve) =>
      hooked.on('message:text', (ctx) => resolve(ctx.message.text)),
    );
    const server: Server = createServer(
      webhookCallback(hooked, 'http', { secretToken: 'grammy-secret' }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    await hooked.api.setWebhook(url, { secret_token: 'grammy-secret' });
    await sim.injectMessage(token, { chat_id: chatId, text: 'via webhook' });
    expect(await got).toBe('via webhook');
    const info = await hooked.api.getWebhookInfo();
    expect(info.url).toBe(url);

    // A wrong secret is refused by grammY with 401; the simulator keeps the update and retries.
    await hooked.api.setWebhook(url, { secret_token: 'other-secret' });
    await sim.injectMessage(token, { chat_id: chatId, text: 'refused' });
    let refused = await hooked.api.getWebhookInfo();
    for (let i = 0; i < 100 && !refused.last_error_message; i++) {
      await new Promise((r) => setTimeout(r, 10));
      refused = await hooked.api.getWebhookInfo();
    }
    expect(refused).toMatchObject({
      pending_update_count: 1,
      last_error_message: 'Wrong response from the webhook: 401 Unauthorized',
    });
    await hooked.api.deleteWebhook({ drop_pending_updates: true });
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });
});

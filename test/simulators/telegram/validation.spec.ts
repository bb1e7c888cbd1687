import { startTelegramSimulator, type TelegramSimulator } from './index';
import { callApi, TINY_PNG } from './test-helpers';

describe('Telegram simulator: api.json driven validation', () => {
  let sim: TelegramSimulator;
  let token: string;
  let chatId: number;

  beforeAll(async () => {
    sim = await startTelegramSimulator({ rateLimits: false });
    token = (await sim.createBot({ username: 'valid_bot' })).token;
    chatId = (await sim.createCustomer({ first_name: 'Ann' })).chat.id;
  });
  afterAll(() => sim.close());

  it('answers 401 Unauthorized for an unknown token', async () => {
    const res = await callApi(sim.baseUrl, '123:nope', 'getMe');
    expect(res).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
  });

  it('answers 404 Not Found for a method api.json does not know', async () => {
    const res = await callApi(sim.baseUrl, token, 'sendTelepathy', { chat_id: chatId });
    expect(res).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found' },
    });
  });

  it('treats method names case-insensitively and accepts GET', async () => {
    const res = await callApi(sim.baseUrl, token, 'GETME', {}, { encoding: 'query' });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ is_bot: true, username: 'valid_bot' });
  });

  it('rejects a missing required parameter (Telegram wording for chat_id and text)', async () => {
    const noChat = await callApi(sim.baseUrl, token, 'sendMessage', { text: 'hi' });
    expect(noChat.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: chat_id is empty',
    });
    const noText = await callApi(sim.baseUrl, token, 'sendMessage', { chat_id: chatId });
    expect(noText.body.description).toBe('Bad Request: message text is empty');
    const noFileId = await callApi(sim.baseUrl, token, 'getFile', {});
    expect(noFileId.body.description).toBe('Bad Request: parameter "file_id" is required');
  });

  it('rejects wrong scalar types from any encoding', async () => {
    const json = await callApi(sim.baseUrl, token, 'getUpdates', { limit: 'ten' });
    expect(json.status).toBe(400);
    expect(json.body.description).toBe('Bad Request: parameter "limit" must be of type Integer');
    const form = await callApi(
      sim.baseUrl,
      token,
      'sendMessage',
      { chat_id: chatId, text: 'x', disable_notification: 'maybe' },
      { encoding: 'form' },
    );
    expect(form.body.description).toBe(
      'Bad Request: parameter "disable_notification" must be of type Boolean',
    );
    const obj = await callApi(sim.baseUrl, token, 'sendMessage', {
      chat_id: chatId,
      text: { a: 1 },
    });
    expect(obj.body.description).toBe('Bad Request: parameter "text" must be of type String');
  });

  it('coerces string values the way Telegram does (query, form, multipart)', async () => {
    const query = await callApi(
      sim.baseUrl,
      token,
      'sendMessage',
      { chat_id: String(chatId), text: 'from query', disable_notification: 'true' },
      { encoding: 'query' },
    );
    expect(query.status).toBe(200);
    const form = await callApi(
      sim.baseUrl,
      token,
      'sendMessage',
      { chat_id: chatId, text: 'from form', reply_parameters: { message_id: 1 } },
      { encoding: 'form' },
    );
    expect(form.body.result).toMatchObject({
      text: 'from form',
      reply_to_message: { message_id: 1 },
    });
  });

  it('checks nested object fields resolved through api.json types', async () => {
    const res = await callApi(sim.baseUrl, token, 'sendMessage', {
      chat_id: chatId,
      text: 'x',
      reply_parameters: { chat_id: chatId },
    });
    expect(res.body.description).toBe(
      'Bad Request: field "reply_parameters.message_id" is required',
    );
    const wrong = await callApi(sim.baseUrl, token, 'sendMessage', {
      chat_id: chatId,
      text: 'x',
      link_preview_options: { is_disabled: 'sometimes' },
    });
    expect(wrong.body.description).toBe(
      'Bad Request: field "link_preview_options.is_disabled" must be of type Boolean',
    );
    const notJson = await callApi(
      sim.baseUrl,
      token,
      'sendMessage',
      { chat_id: chatId, text: 'x', reply_markup: '{oops' },
      { encoding: 'form' },
    );
    expect(notJson.body.description).toBe("Bad Request: can't parse reply markup JSON object");
  });

  it('checks "X or Y" object unions such as reply_markup and nested arrays of arrays', async () => {
    const keyboard = { inline_keyboard: [[{ text: 'Open', url: 'https://example.com' }]] };
    const ok = await callApi(sim.baseUrl, token, 'sendMessage', {
      chat_id: chatId,
      text: 'menu',
      reply_markup: keyboard,
    });
    expect(ok.body.result).toMatchObject({ reply_markup: keyboard });
    const bad = await callApi(sim.baseUrl, token, 'sendMessage', {
      chat_id: chatId,
      text: 'menu',
      reply_markup: { inline_keyboard: [[{ url: 'https://example.com' }]] },
    });
    expect(bad.body.description).toBe(
      'Bad Request: field "reply_markup.inline_keyboard[0][0].text" is required',
    );
  });

  it('rejects enum values api.json does not allow (entity types, media types, reactions)', async () => {
    const entity = await callApi(sim.baseUrl, token, 'sendMessage', {
      chat_id: chatId,
      text: 'hello',
      entities: [{ type: 'blink', offset: 0, length: 5 }],
    });
    expect(entity.body.description).toMatch(
      /^Bad Request: field "entities\[0\]\.type" must be one of "mention", "hashtag"/,
    );
    const media = await callApi(sim.baseUrl, token, 'sendMediaGroup', {
      chat_id: chatId,
      media: [
        { type: 'photo', media: 'x' },
        { type: 'gif', media: 'y' },
      ],
    });
    expect(media.body.description).toMatch(/^Bad Request: field "media\[1\]\.type" must be one of/);
    const reaction = await callApi(sim.baseUrl, token, 'setMessageReaction', {
      chat_id: chatId,
      message_id: 1,
      reaction: [{ type: 'emoji', emoji: 'no-such-emoji' }],
    });
    expect(reaction.body.description).toMatch(
      /^Bad Request: field "reaction\[0\]\.emoji" must be one of/,
    );
  });

  it('accepts "Integer or String" unions (chat_id as @username) and reports unknown chats', async () => {
    const res = await callApi(sim.baseUrl, token, 'sendMessage', { chat_id: '@nobody', text: 'x' });
    expect(res.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: chat not found',
    });
  });

  it('requires InputFile parameters and resolves attach:// references', async () => {
    const missing = await callApi(sim.baseUrl, token, 'sendPhoto', { chat_id: chatId });
    expect(missing.body.description).toBe('Bad Request: there is no photo in the request');
    const dangling = await callApi(
      sim.baseUrl,
      token,
      'sendPhoto',
      { chat_id: chatId, photo: 'attach://nothing' },
      { files: [{ name: 'other', fileName: 'a.png', data: TINY_PNG }] },
    );
    expect(dangling.body.description).toBe('Bad Request: there is no photo in the request');
    const direct = await callApi(
      sim.baseUrl,
      token,
      'sendPhoto',
      { chat_id: chatId },
      { files: [{ name: 'photo', fileName: 'a.png', data: TINY_PNG }] },
    );
    expect(direct.status).toBe(200);
  });

  it('answers with the JSON envelope for unparsable JSON bodies', async () => {
    const res = await fetch(`${sim.baseUrl}/bot${token}/getMe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: can't parse JSON object",
    });
  });

  it('accepts methods without simulated behaviour that return True, 501 for the rest', async () => {
    const ok = await callApi(sim.baseUrl, token, 'setMyCommands', {
      commands: [{ command: 'start', description: 'Start' }],
    });
    expect(ok.body).toEqual({ ok: true, result: true });
    const bad = await callApi(sim.baseUrl, token, 'setMyCommands', {
      commands: [{ command: 'x' }],
    });
    expect(bad.body.description).toBe('Bad Request: field "commands[0].description" is required');
    const other = await callApi(sim.baseUrl, token, 'getChat', { chat_id: chatId });
    expect(other.status).toBe(501);
  });
});

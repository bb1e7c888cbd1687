import { startTelegramSimulator, type TelegramSimulator, type TgMessage } from './index';
import { callApi } from './test-helpers';

describe('Telegram simulator: sendMessage', () => {
  let sim: TelegramSimulator;
  let token: string;
  let chatId: number;

  beforeAll(async () => {
    sim = await startTelegramSimulator({ rateLimits: false });
    token = (await sim.createBot({ username: 'text_bot' })).token;
    chatId = (await sim.createCustomer({ first_name: 'Bea' })).chat.id;
  });
  afterAll(() => sim.close());

  const send = (params: Record<string, unknown>) =>
    callApi(sim.baseUrl, token, 'sendMessage', { chat_id: chatId, ...params });

  it('returns the sent Message with per-chat ids, bot sender and dates in seconds', async () => {
    const a = await send({ text: 'first' });
    const b = await send({ text: 'second' });
    const first = a.body.result as TgMessage;
    const second = b.body.result as TgMessage;
    expect(second.message_id).toBe(first.message_id + 1);
    expect(first.from).toMatchObject({ is_bot: true, username: 'text_bot' });
    expect(first.chat).toMatchObject({ id: chatId, type: 'private', first_name: 'Bea' });
    expect(Math.abs(first.date - Date.now() / 1000)).toBeLessThan(5);
    const recorded = await sim.sentMessages(token, chatId);
    expect(recorded.slice(-2).map((r) => r.params.text)).toEqual(['first', 'second']);
  });

  it('parses HTML into entities with UTF-16 offsets', async () => {
    const res = await send({
      text: '😀 <b>bold <i>both</i></b> &lt;tag&gt; <a href="https://example.com/?a=1&amp;b=2">link</a> <pre><code class="language-ts">x</code></pre>',
      parse_mode: 'HTML',
    });
    const message = res.body.result as TgMessage;
    expect(message.text).toBe('😀 bold both <tag> link x');
    expect(message.entities).toEqual([
      { type: 'bold', offset: 3, length: 9 },
      { type: 'italic', offset: 8, length: 4 },
      { type: 'text_link', offset: 19, length: 4, url: 'https://example.com/?a=1&b=2' },
      { type: 'pre', offset: 24, length: 1, language: 'ts' },
    ]);
  });

  it.each([
    ['<div>x</div>', 'Unsupported start tag "div" at byte offset 0'],
    ['<b>open', 'Can\'t find end tag corresponding to start tag "b"'],
    ['<b>x</i>', 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ['x</b>', 'Unexpected end tag at byte offset 1'],
    ['a <b', 'Unclosed start tag at byte offset 2'],
    ['<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ['1 < 2', 'Unsupported start tag "" at byte offset 2'],
  ])('rejects malformed HTML %s', async (text, detail) => {
    const res = await send({ text, parse_mode: 'HTML' });
    expect(res.body).toEqual({
      ok: false,
      error_code: 400,
      description: `Bad Request: can't parse entities: ${detail}`,
    });
  });

  it('parses MarkdownV2 and rejects unescaped reserved characters', async () => {
    const ok = await send({
      text: '*bold* _it_ [site](https://x.org) 1\\.5',
      parse_mode: 'MarkdownV2',
    });
    expect(ok.body.result).toMatchObject({
      text: 'bold it site 1.5',
      entities: [
        { type: 'bold', offset: 0, length: 4 },
        { type: 'italic', offset: 5, length: 2 },
        { type: 'text_link', offset: 8, length: 4, url: 'https://x.org' },
      ],
    });
    const bad = await send({ text: 'Version 1.5', parse_mode: 'MarkdownV2' });
    expect(bad.body.description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    const mode = await send({ text: 'x', parse_mode: 'BBCode' });
    expect(mode.body.description).toBe('Bad Request: unsupported parse_mode');
  });

  it('enforces the 4096-character limit after entity parsing', async () => {
    const ok = await send({ text: `<b>${'a'.repeat(4096)}</b>`, parse_mode: 'HTML' });
    expect(ok.status).toBe(200);
    const tooLong = await send({ text: 'a'.repeat(4097) });
    expect(tooLong.body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message is too long',
    });
    const empty = await send({ text: '<b> </b>', parse_mode: 'HTML' });
    expect(empty.body.description).toBe('Bad Request: message text is empty');
  });

  it('links replies through reply_parameters and reports missing targets', async () => {
    const customer = await sim.injectMessage(token, { chat_id: chatId, text: 'question?' });
    const reply = await send({
      text: 'answer',
      reply_parameters: { message_id: customer.message.message_id, quote: 'question' },
    });
    expect(reply.body.result).toMatchObject({
      reply_to_message: { message_id: customer.message.message_id, text: 'question?' },
      quote: { text: 'question', position: 0, is_manual: true },
    });
    const missing = await send({ text: 'x', reply_parameters: { message_id: 9999 } });
    expect(missing.body.description).toBe('Bad Request: message to be replied not found');
    const allowed = await send({
      text: 'x',
      reply_parameters: { message_id: 9999, allow_sending_without_reply: true },
    });
    expect(allowed.status).toBe(200);
    expect((allowed.body.result as TgMessage).reply_to_message).toBeUndefined();
  });

  it('echoes link_preview_options and detects urls, mentions and commands', async () => {
    const res = await send({
      text: 'see https://example.com and @someone, /help',
      link_preview_options: { is_disabled: true },
    });
    expect(res.body.result).toMatchObject({
      link_preview_options: { is_disabled: true },
      entities: [
        { type: 'url', offset: 4, length: 19 },
        { type: 'mention', offset: 28, length: 8 },
        { type: 'bot_command', offset: 38, length: 5 },
      ],
    });
  });

  it('forwards, copies and reacts to stored messages', async () => {
    const other = await sim.createCustomer();
    const original = await sim.injectMessage(token, { chat_id: chatId, text: 'forward me' });
    const fwd = await callApi(sim.baseUrl, token, 'forwardMessage', {
      chat_id: other.chat.id,
      from_chat_id: chatId,
      message_id: original.message.message_id,
    });
    expect(fwd.body.result).toMatchObject({
      text: 'forward me',
      forward_origin: { type: 'user', sender_user: { id: chatId } },
    });
    const copy = await callApi(sim.baseUrl, token, 'copyMessage', {
      chat_id: other.chat.id,
      from_chat_id: chatId,
      message_id: original.message.message_id,
    });
    expect(copy.body.result).toEqual({ message_id: expect.any(Number) });
    const react = await callApi(sim.baseUrl, token, 'setMessageReaction', {
      chat_id: chatId,
      message_id: original.message.message_id,
      reaction: [{ type: 'emoji', emoji: '👍' }],
    });
    expect(react.body).toEqual({ ok: true, result: true });
    expect(await sim.reactions(token)).toContainEqual({
      chat_id: chatId,
      message_id: original.message.message_id,
      reaction: [{ type: 'emoji', emoji: '👍' }],
    });
  });
});

describe('Telegram simulator: editing and deleting', () => {
  let sim: TelegramSimulator;
  let token: string;
  let chatId: number;

  beforeAll(async () => {
    sim = await startTelegramSimulator({ rateLimits: false });
    token = (await sim.createBot()).token;
    chatId = (await sim.createCustomer()).chat.id;
  });
  afterAll(() => sim.close());

  it('edits the bot’s own messages and refuses no-op or foreign edits', async () => {
    const sent = await callApi(sim.baseUrl, token, 'sendMessage', { chat_id: chatId, text: 'v1' });
    const id = (sent.body.result as TgMessage).message_id;
    const edit = (text: string, messageId = id) =>
      callApi(sim.baseUrl, token, 'editMessageText', {
        chat_id: chatId,
        message_id: messageId,
        text,
      });
    expect((await edit('<i>v2</i>')).body.result).toMatchObject({
      text: '<i>v2</i>',
      edit_date: expect.any(Number),
    });
    expect((await edit('<i>v2</i>')).body.description).toMatch(
      /^Bad Request: message is not modified/,
    );
    const customer = await sim.injectMessage(token, { chat_id: chatId, text: 'mine' });
    expect((await edit('x', customer.message.message_id)).body.description).toBe(
      "Bad Request: message can't be edited",
    );
    expect((await edit('x', 9999)).body.description).toBe('Bad Request: message to edit not found');
  });

  it('deletes messages once', async () => {
    const sent = await callApi(sim.baseUrl, token, 'sendMessage', { chat_id: chatId, text: 'bye' });
    const id = (sent.body.result as TgMessage).message_id;
    const del = () =>
      callApi(sim.baseUrl, token, 'deleteMessage', { chat_id: chatId, message_id: id });
    expect((await del()).body).toEqual({ ok: true, result: true });
    expect((await del()).body.description).toBe('Bad Request: message to delete not found');
    expect(await sim.deletedMessages(token)).toEqual([{ chat_id: chatId, message_id: id }]);
  });
});

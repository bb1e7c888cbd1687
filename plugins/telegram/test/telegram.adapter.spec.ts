import { Readable } from 'node:stream';
import {
  InvalidCredentialsError,
  PermanentError,
  RateLimitedError,
  RetryableError,
  type AdapterWebhookRequest,
  type OutboundMessage,
} from '../../../src/core/adapter';
import type { WebhookRelay } from '../../../test/conformance';
import type { TelegramSimulator } from '../../../test/simulators/telegram';
import { TOO_LARGE } from '../telegram-files';
import type { TelegramAdapter } from '../telegram.adapter';
import {
  createBotAccount,
  startWebhookSetup,
  stopWebhookSetup,
  until,
} from './telegram-test-setup';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const outbound = (chatId: number, content: Partial<OutboundMessage> = {}): OutboundMessage => ({
  idempotencyKey: `key-${Math.random()}`,
  conversation: { externalId: String(chatId) },
  text: '',
  attachments: [],
  ...content,
});

const image = (name: string) => ({
  kind: 'image' as const,
  fileName: name,
  mimeType: 'image/png',
  sizeBytes: PNG.length,
  open: async () => Readable.from([PNG]),
});

describe('TelegramAdapter', () => {
  let sim: TelegramSimulator;
  let relay: WebhookRelay;
  let adapter: TelegramAdapter;

  beforeAll(async () => {
    ({ sim, adapter, relay } = await startWebhookSetup());
  });
  afterAll(() => stopWebhookSetup({ sim, adapter, relay }));

  describe('validateCredentials', () => {
    it('names the bot and its @username', async () => {
      const bot = await sim.createBot({ username: 'shop_help_bot', first_name: 'Shop Help' });
      expect(await adapter.validateCredentials({ botToken: ` ${bot.token} ` })).toEqual({
        displayName: 'Shop Help',
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: '@shop_help_bot' },
        normalizedCredentials: { botToken: bot.token },
      });
    });

    it('says Telegram rejected an unknown token', async () => {
      const error = await adapter
        .validateCredentials({ botToken: '42:AAHnotAtokenNotAtokenNotAtoken123' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidCredentialsError);
      expect((error as InvalidCredentialsError).reason).toMatch(
        /^Telegram rejected the bot token: Unauthorized/,
      );
    });
  });

  describe('webhook', () => {
    const request = (headers: Record<string, string>, body: string): AdapterWebhookRequest => ({
      method: 'POST',
      subPath: '',
      publicUrl: 'http://127.0.0.1/adapters/telegram/x',
      headers,
      query: {},
      rawBody: Buffer.from(body),
    });

    it('registers the webhook with a secret and emits one event per album', async () => {
      const { token, chatId, context } = await createBotAccount(sim, { relay });
      await adapter.startReceiving(context);
      const { config } = await sim.webhookState(token);
      expect(config).toMatchObject({ url: context.webhookUrl });
      expect(config?.secretToken).toBe(await context.state.get('webhookSecret'));
      await sim.injectMediaGroup(token, {
        chat_id: chatId,
        items: [
          { type: 'photo', media: { data: PNG, mime_type: 'image/png' }, caption: 'two pics' },
          { type: 'photo', media: { data: PNG, mime_type: 'image/png' } },
        ],
      });
      await until(() => context.emitted.length === 1);
      expect(await context.eventsDuring(300)).toHaveLength(0);
      expect(context.emitted[0]).toMatchObject({
        text: 'two pics',
        attachments: [{ kind: 'image' }, { kind: 'image' }],
      });
      await adapter.stopReceiving(context.accountId);
      expect((await sim.webhookState(token)).config).toBeNull();
    });

    it('answers 401 to a wrong secret and 400 to a non-update', async () => {
      const { context } = await createBotAccount(sim, { relay });
      await adapter.startReceiving(context);
      const secret = (await context.state.get<string>('webhookSecret')) ?? '';
      const header = 'x-telegram-bot-api-secret-token';
      const update = JSON.stringify({ update_id: 1, message: { message_id: 1 } });
      expect(
        (await adapter.handleWebhook(context, request({ [header]: 'x' }, update))).status,
      ).toBe(401);
      expect(
        (await adapter.handleWebhook(context, request({ [header]: secret }, '[]'))).status,
      ).toBe(400);
      await adapter.stopReceiving(context.accountId);
      expect(context.emitted).toEqual([]);
    });
  });

  describe('send', () => {
    it('sends several images as one album with the caption on the first', async () => {
      const { token, chatId, context } = await createBotAccount(sim);
      const result = await adapter.send(
        context,
        outbound(chatId, {
          text: 'pics',
          html: '<p><b>pics</b></p>',
          attachments: [image('a.png'), image('b.png')],
        }),
      );
      expect(result.externalMessageIds).toHaveLength(2);
      const [record] = await sim.sentMessages(token, chatId);
      expect(record.method).toBe('sendMediaGroup');
      expect(record.messages[0]).toMatchObject({ caption: 'pics' });
    });

    it('replies to the customer message and splits long text, replying with the first part', async () => {
      const { token, chatId, context } = await createBotAccount(sim);
      const { message } = await sim.injectMessage(token, { chat_id: chatId, text: 'question' });
      const text = 'word '.repeat(1000).trim();
      const result = await adapter.send(
        context,
        outbound(chatId, { text, inReplyToExternalId: `${chatId}:${message.message_id}` }),
      );
      expect(result.externalMessageIds).toHaveLength(2);
      const sent = await sim.sentMessages(token, chatId);
      expect(sent[0].messages[0]).toMatchObject({
        reply_to_message: { message_id: message.message_id },
      });
      expect(sent[1].messages[0].reply_to_message).toBeUndefined();
    });

    it('returns the same ids without sending again when a send is retried', async () => {
      const { token, chatId, context } = await createBotAccount(sim);
      const message = outbound(chatId, { text: 'once' });
      const first = await adapter.send(context, message);
      expect(await adapter.send(context, message)).toEqual(first);
      expect(await sim.sentMessages(token, chatId)).toHaveLength(1);
    });

    it('follows a group migrated to a supergroup and remembers the new chat id', async () => {
      const { token, userId, context } = await createBotAccount(sim);
      const group = await sim.createChat({ type: 'group', title: 'Team' });
      const { chat } = await sim.migrateChat(group.id, { tokens: [token], from_id: userId });
      const result = await adapter.send(context, outbound(group.id, { text: 'hello team' }));
      expect(result.externalMessageIds[0]).toMatch(new RegExp(`^${chat.id}:\\d+$`));
      expect(await context.state.get('chatMigrations')).toEqual({ [group.id]: chat.id });
    });

    it('maps blocked, rate-limited and failing Telegram to the gateway errors', async () => {
      const { token, chatId, context } = await createBotAccount(sim);
      await sim.addFault({ token, kind: 'error', status: 429, retry_after: 7, count: 1 });
      const limited = await adapter
        .send(context, outbound(chatId, { text: 'x' }))
        .catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect((limited as RateLimitedError).retryAfterMs).toBe(7000);

      // The 429 paused that bot for 7 s (Telegram penalises all its calls): go on with another.
      const other = await createBotAccount(sim);
      await sim.addFault({ token: other.token, kind: 'error', status: 502, count: 1 });
      const failing = await adapter
        .send(other.context, outbound(other.chatId, { text: 'x' }))
        .catch((e: unknown) => e);
      expect(failing).toBeInstanceOf(RetryableError);

      await sim.blockBot(other.token, other.userId);
      const blocked = await adapter
        .send(other.context, outbound(other.chatId, { text: 'x' }))
        .catch((e: unknown) => e);
      expect(blocked).toBeInstanceOf(PermanentError);
      expect((blocked as PermanentError).reason).toBe('The customer blocked the Telegram bot');

      const missing = await adapter
        .send(other.context, outbound(777, { text: 'x' }))
        .catch((e: unknown) => e);
      expect((missing as PermanentError).reason).toMatch(/chat not found/);
    });
  });

  describe('send recoveries', () => {
    it('sends a part again as plain text when Telegram cannot parse its HTML', async () => {
      const { token, chatId, context } = await createBotAccount(sim);
      await sim.addFault({
        token,
        method: 'sendMessage',
        kind: 'error',
        status: 400,
        description: "Bad Request: can't parse entities: Unsupported start tag",
        count: 1,
      });
      const result = await adapter.send(
        context,
        outbound(chatId, { text: 'a < b', html: '<p><b>a &lt; b</b></p>' }),
      );
      expect(result.externalMessageIds).toHaveLength(1);
      const [record] = await sim.sentMessages(token, chatId);
      expect(record.messages[0]).toMatchObject({ text: 'a < b' });
      expect(record.params.parse_mode).toBeUndefined();
    });

    it('maps a dropped connection to a RetryableError', async () => {
      const { token, chatId, context } = await createBotAccount(sim);
      await sim.addFault({ token, kind: 'drop', count: 1 });
      const error = await adapter
        .send(context, outbound(chatId, { text: 'x' }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RetryableError);
    });
  });

  describe('openAttachment', () => {
    it('refuses a file over 20 MB as permanently too large', async () => {
      const { token, chatId, context } = await createBotAccount(sim);
      const { message } = await sim.injectMessage(token, {
        chat_id: chatId,
        document: { size: 21 * 1024 * 1024, file_name: 'big.bin' },
      });
      const fileId = (message as { document?: { file_id: string } }).document?.file_id ?? '';
      const error = await adapter
        .openAttachment(context, { kind: 'file', ref: fileId })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PermanentError).reason).toBe(TOO_LARGE);
    });
  });
});

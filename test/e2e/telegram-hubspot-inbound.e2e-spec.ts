/**
 * Telegram -> HubSpot end to end, webhook mode: the Telegram simulator delivers updates to the
 * gateway's webhook route, the gateway publishes them into HubSpot (the HubSpot simulator).
 */
import { readFileSync } from 'node:fs';
import { ConversationRepository } from '../../src/core/persistence/repositories/conversation.repository';
import { MessageRepository } from '../../src/core/persistence/repositories/message.repository';
import type { Message as SimMessage } from '../simulators/hubspot/types';
import type { TgChat, TgUser } from '../simulators/telegram';
import {
  type ConnectedBot,
  startTelegramHubSpotWorld,
  type TelegramHubSpotWorld,
} from '../support/telegram-hubspot-world';
import { eventually } from '../support/test-gateway';

jest.setTimeout(120_000);

interface HubSpotFileAttachment {
  type: 'FILE';
  fileId: string;
  fileUsageType: string;
}

const bytes = (seed: number, size: number) =>
  Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 256));

describe('Telegram -> HubSpot (webhook mode)', () => {
  let world: TelegramHubSpotWorld;
  let bot: ConnectedBot;
  let customer: { user: TgUser; chat: TgChat };

  const repo = <T>(type: abstract new (...args: never[]) => T): T => world.gateway.app.get<T>(type);

  /** The customer's message as HubSpot shows it, once the gateway published it. */
  const inHubSpot = async (chatId: number, messageId: number): Promise<SimMessage> =>
    world.hubspotMessage(await world.published(bot.account.id, `${chatId}:${messageId}`));

  const incomingCount = () =>
    [...world.sim.state.messages.values()].filter(
      (m) => m.channelAccountId === bot.hubspotId && m.direction === 'INCOMING',
    ).length;

  /** The bytes and content type HubSpot stored for a FILE attachment. */
  const hubspotFile = (fileId: string | number | undefined) => {
    const file = world.sim.state.files.get(String(fileId));
    if (!file) throw new Error(`HubSpot has no file ${fileId}`);
    return { ...file, content: readFileSync(file.diskPath) };
  };

  /** HubSpot's FILE attachments of a message (the simulator types attachments loosely). */
  const fileAttachments = (message: SimMessage) =>
    message.attachments.filter((a) => a.type === 'FILE') as unknown as HubSpotFileAttachment[];

  beforeAll(async () => {
    world = await startTelegramHubSpotWorld({
      mode: 'webhook',
      settings: { mediaGroupWaitMs: 300 },
    });
    bot = await world.connectBot('acme_support_bot', 'Acme Support');
    customer = await world.telegram.createCustomer({
      first_name: 'Ann',
      last_name: 'Lee',
      username: 'annlee',
    });
  });

  afterAll(() => world?.close());

  describe('connection', () => {
    it('names the HubSpot account after the bot and identifies it by @username', () => {
      const account = world.sim.state.channelAccounts.get(bot.hubspotId);
      expect(account).toMatchObject({
        name: 'Acme Support',
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: '@acme_support_bot' },
      });
      expect(bot.account.name).toBe('Acme Support');
    });

    it('shows a refused token in the connection popup and stores nothing', async () => {
      const start = (await (
        await fetch(`${world.sim.baseUrl}/__sim/channels/${world.channelId}/connect-url`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ portalId: world.portalId }),
        })
      ).json()) as { connectUrl: string };
      const page = await (await fetch(start.connectUrl)).text();
      const form = (/name="form" value="([^"]+)"/.exec(page)?.[1] ?? '').replace(/&quot;/g, '"');
      const submit = (botToken: string) =>
        fetch(`${world.gateway.url}/connect/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ form, botToken }).toString(),
          redirect: 'manual',
        });
      const accountsBefore = world.sim.state.channelAccounts.size;

      // Looks like a token, but Telegram (the simulator) does not know it: getMe answers 401.
      const unknown = await submit('123456789:AAHunknownunknownunknownunknown');
      expect(unknown.status).toBe(422);
      const html = await unknown.text();
      expect(html).toContain('Telegram rejected the bot token: Unauthorized');
      expect(html).not.toContain('AAHunknownunknown');

      const malformed = await submit('not a token');
      expect(malformed.status).toBe(422);
      expect(await malformed.text()).toContain('field-botToken-error');
      expect(world.sim.state.channelAccounts.size).toBe(accountsBefore);
    });

    it('registers the webhook with a secret and refuses requests without it (401, nothing stored)', async () => {
      const webhook = await world.telegram.webhookState(bot.token);
      const url = `${world.gateway.url}/adapters/telegram/${bot.account.id}`;
      expect(webhook.config).toMatchObject({ url });
      const secret = webhook.config?.secretToken ?? '';
      expect(secret).toMatch(/^[A-Za-z0-9_-]{32,256}$/);

      const update = {
        update_id: 999_000_001,
        message: {
          message_id: 9001,
          date: Math.floor(Date.now() / 1000),
          chat: customer.chat,
          from: { ...customer.user, is_bot: false },
          text: 'forged',
        },
      };
      const post = (headers: Record<string, string>) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(update),
        });
      const before = incomingCount();
      expect((await post({})).status).toBe(401);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong-secret' })).status).toBe(401);
      // A genuine update still comes through afterwards (the account was not disturbed).
      const real = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        text: 'genuine',
      });
      expect((await inHubSpot(customer.chat.id, real.message.message_id)).text).toBe('genuine');
      expect(incomingCount()).toBe(before + 1);
      expect(
        await repo(MessageRepository).findByExternalId(bot.account.id, `${customer.chat.id}:9001`),
      ).toBeUndefined();
      const deliveries = (await world.telegram.webhookState(bot.token)).deliveries;
      expect(deliveries.every((d) => d.secret_token_sent)).toBe(true);
    });
  });

  describe('inbound mapping', () => {
    it('converts text entities to HubSpot rich text and keeps the chat in one thread', async () => {
      const text = 'Bold italic code link plain';
      const first = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        text,
        entities: [
          { type: 'bold', offset: 0, length: 4 },
          { type: 'italic', offset: 5, length: 6 },
          { type: 'code', offset: 12, length: 4 },
          { type: 'text_link', offset: 17, length: 4, url: 'https://example.com/a?b=1&c=2' },
        ],
      });
      const message = await inHubSpot(customer.chat.id, first.message.message_id);
      expect(message).toMatchObject({
        direction: 'INCOMING',
        text,
        richText:
          '<b>Bold</b> <i>italic</i> <code>code</code> <a href="https://example.com/a?b=1&amp;c=2">link</a> plain',
        senders: [
          {
            name: 'Ann Lee',
            deliveryIdentifier: {
              type: 'CHANNEL_SPECIFIC_OPAQUE_ID',
              value: String(customer.user.id),
            },
          },
        ],
        recipients: [
          {
            deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: '@acme_support_bot' },
          },
        ],
      });
      const thread = world.sim.state.threads.get(message.conversationsThreadId);
      expect(thread?.ticketId).toBeDefined();

      const second = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        text: 'plain follow-up',
      });
      const followUp = await inHubSpot(customer.chat.id, second.message.message_id);
      expect(followUp.conversationsThreadId).toBe(message.conversationsThreadId);
      expect(followUp.richText).toBeUndefined();
    });

    it('publishes every media kind as a HubSpot file of the right usage type, with its bytes', async () => {
      const media = {
        photo: { data: bytes(1, 4000), mime_type: 'image/jpeg', width: 1600, height: 1200 },
        document: { data: bytes(2, 3000), file_name: 'invoice.pdf', mime_type: 'application/pdf' },
        audio: {
          data: bytes(3, 5000),
          file_name: 'song.mp3',
          mime_type: 'audio/mpeg',
          performer: 'Band',
          title: 'Tune',
        },
        voice: { data: bytes(4, 1500), mime_type: 'audio/ogg', duration: 3 },
        video: { data: bytes(5, 8000), file_name: 'clip.mp4', mime_type: 'video/mp4' },
        video_note: { data: bytes(6, 2500) },
        animation: { data: bytes(7, 2200), file_name: 'fun.gif.mp4', mime_type: 'video/mp4' },
      } as const;
      const expected: Record<keyof typeof media, { usage: string; contentType: string }> = {
        photo: { usage: 'IMAGE', contentType: 'image/jpeg' },
        document: { usage: 'OTHER', contentType: 'application/pdf' },
        audio: { usage: 'AUDIO', contentType: 'audio/mpeg' },
        voice: { usage: 'VOICE_RECORDING', contentType: 'audio/ogg' },
        video: { usage: 'OTHER', contentType: 'video/mp4' },
        video_note: { usage: 'OTHER', contentType: 'video/mp4' },
        animation: { usage: 'OTHER', contentType: 'video/mp4' },
      };
      for (const [kind, input] of Object.entries(media) as [keyof typeof media, never][]) {
        const caption = `my ${kind}`;
        const sent = await world.telegram.injectMessage(bot.token, {
          chat_id: customer.chat.id,
          caption,
          [kind]: input,
        });
        const message = await inHubSpot(customer.chat.id, sent.message.message_id);
        expect(message.text).toBe(caption);
        const files = fileAttachments(message);
        expect(files).toHaveLength(1);
        expect(files[0].fileUsageType).toBe(expected[kind].usage);
        const stored = hubspotFile(files[0].fileId);
        expect(stored.contentType).toBe(expected[kind].contentType);
        expect(stored.content.equals((media[kind] as { data: Buffer }).data)).toBe(true);
        if (kind === 'photo') {
          // The largest of the sizes Telegram offers is the one downloaded.
          const sizes = (sent.message.photo ?? []) as { file_id: string }[];
          const largest = sizes[sizes.length - 1];
          const getFiles = await world.telegram.requests({ token: bot.token, method: 'getFile' });
          expect(getFiles.at(-1)?.params.file_id).toBe(largest.file_id);
          expect(sizes.length).toBeGreaterThan(1);
        }
      }
    });

    it('publishes static, animated and video stickers as STICKER files', async () => {
      const stickers = [
        { format: 'static', data: bytes(8, 700), contentType: 'image/webp' },
        { format: 'animated', data: bytes(9, 900), contentType: 'application/x-tgsticker' },
        { format: 'video', data: bytes(10, 1100), contentType: 'video/webm' },
      ] as const;
      for (const sticker of stickers) {
        const sent = await world.telegram.injectMessage(bot.token, {
          chat_id: customer.chat.id,
          sticker: { data: sticker.data, sticker_format: sticker.format, emoji: '👍' },
        });
        const message = await inHubSpot(customer.chat.id, sent.message.message_id);
        const [file] = fileAttachments(message);
        expect(file.fileUsageType).toBe('STICKER');
        const stored = hubspotFile(file.fileId);
        expect(stored.contentType).toBe(sticker.contentType);
        expect(stored.content.equals(sticker.data)).toBe(true);
      }
    });

    it('publishes locations, venues and contacts as LOCATION and CONTACT attachments', async () => {
      const location = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        location: { latitude: 52.52, longitude: 13.405 },
      });
      expect((await inHubSpot(customer.chat.id, location.message.message_id)).attachments).toEqual([
        {
          type: 'LOCATION',
          latitude: 52.52,
          longitude: 13.405,
          url: 'https://www.openstreetmap.org/?mlat=52.52&mlon=13.405',
        },
      ]);

      const venue = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        location: { latitude: 48.8584, longitude: 2.2945 },
        extra: {
          venue: {
            location: { latitude: 48.8584, longitude: 2.2945 },
            title: 'Eiffel Tower',
            address: 'Champ de Mars, Paris',
          },
        },
      });
      expect(
        (await inHubSpot(customer.chat.id, venue.message.message_id)).attachments,
      ).toMatchObject([
        { type: 'LOCATION', name: 'Eiffel Tower', address: 'Champ de Mars, Paris' },
      ]);

      const contact = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        contact: { phone_number: '+14155550100', first_name: 'Grace', last_name: 'Hopper' },
      });
      expect((await inHubSpot(customer.chat.id, contact.message.message_id)).attachments).toEqual([
        {
          type: 'CONTACT',
          contactProfile: {
            addresses: [],
            emails: [],
            phones: [{ phone: '+14155550100', type: 'CELL' }],
            urls: [],
            name: { firstName: 'Grace', lastName: 'Hopper' },
          },
        },
      ]);
    });

    it('publishes an album as one HubSpot message with all its files and the caption', async () => {
      const items = [bytes(11, 1200), bytes(12, 1300), bytes(13, 1400)];
      const before = incomingCount();
      const sent = await world.telegram.injectMediaGroup(bot.token, {
        chat_id: customer.chat.id,
        items: [
          { type: 'photo', media: { data: items[0], mime_type: 'image/png' } },
          {
            type: 'photo',
            media: { data: items[1], mime_type: 'image/png' },
            caption: 'holiday pics',
            caption_entities: [{ type: 'bold', offset: 0, length: 7 }],
          },
          { type: 'video', media: { data: items[2], mime_type: 'video/mp4' } },
        ],
      });
      const first = sent[0].message;
      const message = await inHubSpot(customer.chat.id, first.message_id);
      expect(message.text).toBe('holiday pics');
      expect(message.richText).toBe('<b>holiday</b> pics');
      const files = fileAttachments(message);
      expect(files.map((f) => f.fileUsageType)).toEqual(['IMAGE', 'IMAGE', 'OTHER']);
      files.forEach((file, index) => {
        expect(hubspotFile(file.fileId).content.equals(items[index])).toBe(true);
      });
      // The later items have no message of their own.
      for (const item of sent.slice(1)) {
        expect(
          await repo(MessageRepository).findByExternalId(
            bot.account.id,
            `${customer.chat.id}:${item.message.message_id}`,
          ),
        ).toBeUndefined();
      }
      expect(incomingCount()).toBe(before + 1);
    });

    it('maps replies to inReplyToId and publishes edits as new messages quoting the original', async () => {
      const question = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        text: 'What are your opening hours?',
      });
      const original = await world.published(
        bot.account.id,
        `${customer.chat.id}:${question.message.message_id}`,
      );
      const reply = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        text: 'And on Sundays?',
        reply_to_message_id: question.message.message_id,
      });
      expect(await inHubSpot(customer.chat.id, reply.message.message_id)).toMatchObject({
        inReplyToId: original.hubspotMessageId,
        conversationsThreadId: original.hubspotThreadId,
      });

      const before = incomingCount();
      await world.telegram.injectEdit(bot.token, {
        chat_id: customer.chat.id,
        message_id: question.message.message_id,
        text: 'What are your opening hours in December?',
        entities: [{ type: 'italic', offset: 31, length: 8 }],
      });
      const edit = await eventually(
        () =>
          [...world.sim.state.messages.values()].find((m) =>
            m.text.includes('opening hours in December'),
          ),
        20_000,
        'the edit in HubSpot',
      );
      expect(edit).toMatchObject({
        text: '✏️ Edited: What are your opening hours in December?\n> What are your opening hours?',
        richText:
          '✏️ Edited: What are your opening hours in <i>December</i>?' +
          '<blockquote>What are your opening hours?</blockquote>',
        inReplyToId: original.hubspotMessageId,
        conversationsThreadId: original.hubspotThreadId,
      });
      expect(incomingCount()).toBe(before + 1);
    });

    it('gives each group one conversation and shows who wrote each message', async () => {
      const group = await world.telegram.createChat({ type: 'group', title: 'Acme partners' });
      const grace = await world.telegram.createUser({ first_name: 'Grace', last_name: 'H' });
      const linus = await world.telegram.createUser({ first_name: 'Linus' });
      const first = await world.telegram.injectMessage(bot.token, {
        chat_id: group.id,
        from_id: grace.id,
        text: 'hello team',
        entities: [{ type: 'bold', offset: 6, length: 4 }],
      });
      const second = await world.telegram.injectMessage(bot.token, {
        chat_id: group.id,
        from_id: linus.id,
        text: 'hi!',
      });
      const one = await inHubSpot(group.id, first.message.message_id);
      const two = await inHubSpot(group.id, second.message.message_id);
      expect(one).toMatchObject({
        text: 'Grace H: hello team',
        richText: '<b>Grace H:</b> hello <b>team</b>',
        senders: [{ name: 'Grace H', deliveryIdentifier: { value: String(grace.id) } }],
      });
      expect(two).toMatchObject({
        text: 'Linus: hi!',
        senders: [{ name: 'Linus', deliveryIdentifier: { value: String(linus.id) } }],
      });
      expect(two.conversationsThreadId).toBe(one.conversationsThreadId);
      expect(
        await repo(ConversationRepository).findByExternalId(bot.account.id, String(group.id)),
      ).toMatchObject({ isGroup: true, title: 'Acme partners' });
    });

    it('turns a file over the 20 MB download limit into a readable note, not a lost message', async () => {
      const sent = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        caption: 'the big one',
        document: {
          size: 21 * 1024 * 1024,
          file_name: 'huge.zip',
          mime_type: 'application/zip',
        },
      });
      const message = await inHubSpot(customer.chat.id, sent.message.message_id);
      expect(message.text).toBe(
        "the big one\n[attachment 'huge.zip' could not be transferred: file too large for the Telegram Bot API (20 MB limit)]",
      );
      expect(fileAttachments(message)).toEqual([]);
    });

    it('publishes an update Telegram delivers twice only once', async () => {
      const sent = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        text: 'exactly once please',
      });
      await inHubSpot(customer.chat.id, sent.message.message_id);
      const before = incomingCount();
      const secret = (await world.telegram.webhookState(bot.token)).config?.secretToken ?? '';
      // Telegram retries an update when it did not see the 200 (a timeout, a dropped connection).
      const again = await fetch(`${world.gateway.url}/adapters/telegram/${bot.account.id}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': secret,
        },
        body: JSON.stringify(sent.update),
      });
      expect(again.status).toBe(200);
      const marker = await world.telegram.injectMessage(bot.token, {
        chat_id: customer.chat.id,
        text: 'after the redelivery',
      });
      await inHubSpot(customer.chat.id, marker.message.message_id);
      expect(incomingCount()).toBe(before + 1);
    });
  });
});

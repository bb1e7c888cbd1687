/**
 * HubSpot -> Telegram end to end: agent replies in the HubSpot simulator reach the Telegram
 * simulator through the gateway (formatting, splitting, files, albums, replies), and the
 * delivery status goes back to HubSpot. Limits and failures: telegram-hubspot-limits.
 */
import {
  type ConnectedBot,
  startTelegramHubSpotWorld,
  type TelegramHubSpotWorld,
} from '../support/telegram-hubspot-world';

jest.setTimeout(120_000);

const bytes = (seed: number, size: number) =>
  Buffer.from(Array.from({ length: size }, (_, i) => (i * 17 + seed) % 256));

describe('HubSpot -> Telegram (agent replies)', () => {
  let world: TelegramHubSpotWorld;
  let bot: ConnectedBot;

  const customerOpens = (firstName: string) => world.customerOpens(bot, firstName);
  const sentTo = (chatId: number) => world.sentTo(bot, chatId);
  const localRecord = (hubspotId: string) => world.localRecord(hubspotId);
  const statusTypes = (hubspotId: string) => world.statusTypes(hubspotId);

  beforeAll(async () => {
    world = await startTelegramHubSpotWorld({ mode: 'webhook' });
    bot = await world.connectBot('acme_out_bot', 'Acme');
  });

  afterAll(() => world?.close());

  it('sends rich text as Telegram HTML, escaped, with links kept clickable, and reports SENT', async () => {
    const { chat, threadId } = await customerOpens('Ada');
    const id = await world.agentReplies(threadId, {
      text: 'Hello Ada & friends, see the docs <now> quoted under',
      richText:
        '<p>Hello <strong>Ada</strong> &amp; <em>friends</em>, see ' +
        '<a href="https://example.com/docs?a=1&amp;b=&quot;2&quot;">the docs</a> &lt;now&gt;</p>' +
        '<blockquote>quoted</blockquote><p><u>under</u></p>',
    });
    await world.statusIs(id, 'SENT');
    const [sent] = await sentTo(chat.id);
    expect(sent.method).toBe('sendMessage');
    expect(sent.params).toMatchObject({ parse_mode: 'HTML' });
    expect(sent.params.text).toBe(
      'Hello <b>Ada</b> &amp; <i>friends</i>, see ' +
        '<a href="https://example.com/docs?a=1&amp;b=&quot;2&quot;">the docs</a> &lt;now&gt;\n\n' +
        '<blockquote>quoted</blockquote>\n\n<u>under</u>',
    );
    // What the customer sees: the text Telegram parsed out of the HTML, and clickable formatting.
    const [message] = sent.messages as { text: string; entities: Record<string, unknown>[] }[];
    expect(message.text).toBe('Hello Ada & friends, see the docs <now>\n\nquoted\n\nunder');
    expect(message.entities.map((e) => e.type)).toEqual([
      'bold',
      'italic',
      'text_link',
      'blockquote',
      'underline',
    ]);
    expect(message.entities[2]).toMatchObject({ url: 'https://example.com/docs?a=1&b="2"' });
    expect(statusTypes(id)).toEqual(['SENT']);
    expect(await localRecord(id)).toMatchObject({
      status: 'SENT',
      externalMessageIds: [`${chat.id}:${sent.message_ids[0]}`],
    });
  });

  it('splits a text longer than 4096 characters at word boundaries, in order', async () => {
    const { chat, threadId } = await customerOpens('Long');
    const words = Array.from({ length: 1000 }, (_, i) => `word${String(i).padStart(4, '0')}`);
    const text = words.join(' ');
    expect(text.length).toBeGreaterThan(2 * 4096);
    const id = await world.agentReplies(threadId, { text });
    await world.statusIs(id, 'SENT');
    const sent = await sentTo(chat.id);
    expect(sent.map((s) => s.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage']);
    const parts = sent.map((s) => (s.messages[0] as { text: string }).text);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.flatMap((part) => part.split(/\s+/).filter(Boolean))).toEqual(words);
    expect((await localRecord(id)).externalMessageIds).toHaveLength(3);
    expect(statusTypes(id)).toEqual(['SENT']);
  });

  it('sends images, files, audio and video with their bytes, the text as caption', async () => {
    const { chat, threadId } = await customerOpens('Files');
    const cases = [
      { name: 'diagram.png', type: 'image/png', method: 'sendPhoto', param: 'photo' },
      { name: 'terms.pdf', type: 'application/pdf', method: 'sendDocument', param: 'document' },
      { name: 'jingle.mp3', type: 'audio/mpeg', method: 'sendAudio', param: 'audio' },
      { name: 'demo.mp4', type: 'video/mp4', method: 'sendVideo', param: 'video' },
    ];
    for (const [index, file] of cases.entries()) {
      const content = bytes(index, 2000 + index * 500);
      const uploaded = await world.uploadToHubSpot(file.name, file.type, content);
      const id = await world.agentReplies(threadId, {
        text: `here is ${file.name}`,
        richText: `<p>here is <b>${file.name}</b></p>`,
        fileIds: [uploaded.id],
      });
      await world.statusIs(id, 'SENT');
      const sent = (await sentTo(chat.id)).at(-1);
      expect(sent).toMatchObject({
        method: file.method,
        params: { caption: `here is <b>${file.name}</b>`, parse_mode: 'HTML' },
      });
      const upload = sent?.files.find((f) => f.param === file.param);
      expect(upload).toMatchObject({ file_name: file.name, size: content.length });
      expect(
        (await world.telegram.fileContent(bot.token, upload?.file_id ?? '')).equals(content),
      ).toBe(true);
    }
  });

  it('sends a voice recording (VOICE_RECORDING) as a Telegram voice note, the text as caption', async () => {
    const { chat, threadId } = await customerOpens('Voice');
    const content = bytes(31, 3000);
    const uploaded = await world.uploadToHubSpot('note.ogg', 'audio/ogg', content);
    const id = await world.agentReplies(threadId, {
      text: 'listen to this',
      fileIds: [uploaded.id],
      fileUsageTypes: { [uploaded.id]: 'VOICE_RECORDING' },
    });
    await world.statusIs(id, 'SENT');
    const sent = await sentTo(chat.id);
    expect(sent.map((s) => s.method)).toEqual(['sendVoice']);
    expect(sent[0].params).toMatchObject({ caption: 'listen to this' });
    const upload = sent[0].files.find((f) => f.param === 'voice');
    expect(upload).toMatchObject({ file_name: 'note.ogg', size: content.length });
    expect(
      (await world.telegram.fileContent(bot.token, upload?.file_id ?? '')).equals(content),
    ).toBe(true);
    expect((await localRecord(id)).externalMessageIds).toEqual([
      `${chat.id}:${sent[0].message_ids[0]}`,
    ]);
  });

  it('sends several attachments as one media group', async () => {
    const { chat, threadId } = await customerOpens('Album');
    const contents = [bytes(21, 1500), bytes(22, 1600), bytes(23, 1700)];
    const ids = await Promise.all(
      contents.map(
        async (content, index) =>
          (await world.uploadToHubSpot(`pic${index}.jpg`, 'image/jpeg', content)).id,
      ),
    );
    const id = await world.agentReplies(threadId, { text: 'three pictures', fileIds: ids });
    await world.statusIs(id, 'SENT');
    const [album] = await sentTo(chat.id);
    expect(album.method).toBe('sendMediaGroup');
    expect(album.message_ids).toHaveLength(3);
    expect((album.messages[0] as { caption?: string }).caption).toBe('three pictures');
    for (const [index, content] of contents.entries()) {
      const sizes = (album.messages[index] as { photo: { file_id: string }[] }).photo;
      const stored = await world.telegram.fileContent(bot.token, sizes[sizes.length - 1].file_id);
      expect(stored.equals(content)).toBe(true);
    }
    expect((await localRecord(id)).externalMessageIds).toEqual(
      album.message_ids.map((messageId) => `${chat.id}:${messageId}`),
    );
  });

  it('answers the customer message the agent replied to', async () => {
    const { chat, hubspotMessageId, telegramMessageId, threadId } = await customerOpens('Reply');
    const id = await world.agentReplies(threadId, {
      text: 'About that question',
      inReplyToId: hubspotMessageId,
    });
    await world.statusIs(id, 'SENT');
    const [sent] = await sentTo(chat.id);
    expect(sent.params.reply_parameters).toMatchObject({ message_id: telegramMessageId });
    expect(sent.messages[0]).toMatchObject({ reply_to_message: { message_id: telegramMessageId } });
  });
});

import type { Message, Update } from 'grammy/types';
import {
  mapTelegramMessage,
  mapTelegramUpdate,
  mergeAlbum,
  parseTelegramMessageId,
  telegramEventId,
} from '../telegram.mapper';
import edited from './fixtures/edited-message.json';
import groupReplyPhoto from './fixtures/group-reply-photo.json';
import media from './fixtures/media-messages.json';
import textWithEntities from './fixtures/text-with-entities.json';

const BOT = '123456';
const messages = media as unknown as Record<string, Message>;
const mapMessage = (name: string) => mapTelegramMessage(messages[name], `e-${name}`);

describe('mapTelegramUpdate', () => {
  it('maps a private text message with entities to text, HTML, sender and ids', () => {
    const event = mapTelegramUpdate(textWithEntities as unknown as Update, BOT);
    expect(event).toEqual({
      type: 'message',
      eventId: 'telegram:123456:731204561',
      externalMessageId: '5112233445:42',
      conversation: { externalId: '5112233445', isGroup: false, title: 'Zoë Ng' },
      sender: { id: '5112233445', displayName: 'Zoë Ng', handle: '@zoe_ng' },
      text: textWithEntities.message.text,
      html:
        'Hi 👋 <b>bold</b> <i>italic</i> &lt;tag&gt; &amp; <code>code</code><br>see ' +
        '<a href="https://docs.example.com/?q=&quot;x&quot;">docs</a> ' +
        '<a href="https://example.com/x?a=1&amp;b=2">https://example.com/x?a=1&amp;b=2</a>',
      attachments: [],
      timestamp: '2025-11-28T08:53:20.000Z',
    });
  });

  it('maps a group photo reply: largest size, caption, group flag and reply target', () => {
    const event = mapTelegramUpdate(groupReplyPhoto as unknown as Update, BOT);
    expect(event).toMatchObject({
      externalMessageId: '-1001234567890:77',
      conversation: { externalId: '-1001234567890', isGroup: true, title: 'Support group' },
      sender: { id: '6001', displayName: 'Ann', handle: '@ann' },
      text: 'the broken part',
      html: 'the <u>broken</u> part',
      attachments: [{ kind: 'image', ref: 'AgACAglarge', sizeBytes: 98000 }],
      inReplyToExternalId: '-1001234567890:70',
    });
  });

  it('maps an edit to editOf, the edit time and its own event id', () => {
    const event = mapTelegramUpdate(edited as unknown as Update, BOT);
    expect(event).toMatchObject({
      eventId: 'telegram:123456:731204563',
      externalMessageId: '5112233445:42',
      text: 'Hi, fixed typo',
      editOf: { externalMessageId: '5112233445:42' },
      timestamp: '2025-11-28T08:54:20.000Z',
    });
    expect(event?.html).toBeUndefined();
  });

  it('gives a redelivered update the same event id, and another bot another one', () => {
    expect(telegramEventId(BOT, 7)).toBe(telegramEventId(BOT, 7));
    expect(telegramEventId('999', 7)).not.toBe(telegramEventId(BOT, 7));
  });

  it('ignores updates without a message', () => {
    expect(mapTelegramUpdate({ update_id: 1 } as Update, BOT)).toBeUndefined();
  });
});

describe('mapTelegramMessage media', () => {
  it.each([
    [
      'document',
      {
        kind: 'file',
        ref: 'BQdoc',
        fileName: 'invoice.pdf',
        mimeType: 'application/pdf',
        sizeBytes: 5000,
      },
    ],
    ['voice', { kind: 'voice', ref: 'AwVoice', mimeType: 'audio/ogg', sizeBytes: 4200 }],
    ['audio', { kind: 'audio', ref: 'CQaudio', fileName: 'song.mp3', note: 'Band - Song' }],
    ['video', { kind: 'video', ref: 'BAvideo', fileName: 'clip.mp4', mimeType: 'video/mp4' }],
    ['video_note', { kind: 'video', ref: 'DQnote', mimeType: 'video/mp4', note: 'video note' }],
    ['animation', { kind: 'video', ref: 'CgAnim', mimeType: 'video/mp4', note: 'animation' }],
    [
      'sticker_static',
      { kind: 'sticker', ref: 'CAstatic', mimeType: 'image/webp', note: 'static sticker 👍' },
    ],
    ['sticker_animated', { kind: 'sticker', ref: 'CAtgs', mimeType: 'application/x-tgsticker' }],
    ['sticker_video', { kind: 'sticker', ref: 'CAwebm', mimeType: 'video/webm' }],
  ])('maps %s', (name, expected) => {
    const event = mapMessage(name);
    expect(event?.attachments).toEqual([expect.objectContaining(expected)]);
    expect(event?.text).toBe('');
  });

  it('maps an animation once, not also as its document', () => {
    expect(mapMessage('animation')?.attachments).toHaveLength(1);
  });

  it('maps a location with a map link and a contact card', () => {
    expect(mapMessage('location')?.attachments).toEqual([
      {
        kind: 'location',
        latitude: 52.520008,
        longitude: 13.404954,
        url: 'https://www.openstreetmap.org/?mlat=52.520008&mlon=13.404954',
      },
    ]);
    const contact = mapMessage('contact');
    expect(contact?.attachments).toEqual([
      {
        kind: 'contact',
        firstName: 'C',
        phones: [{ phone: '4915112345678', type: 'CELL' }],
        emails: [],
      },
    ]);
    expect(contact?.sender.phone).toBe('+4915112345678');
  });

  it('skips service messages and writes a placeholder for polls', () => {
    expect(mapMessage('service')).toBeUndefined();
    expect(mapMessage('poll')?.text).toBe('[poll: Pizza?]');
  });
});

describe('mergeAlbum', () => {
  it('merges album items in message order with the caption of the captioned item', () => {
    const base = messages.document;
    const item = (id: number, caption?: string) =>
      mapTelegramMessage(
        {
          ...base,
          message_id: id,
          media_group_id: 'g1',
          ...(caption ? { caption } : {}),
        } as Message,
        `e${id}`,
      );
    const events = [item(5, 'two files'), item(4)].flatMap((e) => (e ? [e] : []));
    const merged = mergeAlbum(events, 'album-id');
    expect(merged).toMatchObject({
      eventId: 'album-id',
      externalMessageId: '9:4',
      text: 'two files',
    });
    expect(merged?.attachments).toHaveLength(2);
  });

  it('parses gateway message ids back', () => {
    expect(parseTelegramMessageId('-100123:45')).toEqual({ chatId: -100123, messageId: 45 });
    expect(parseTelegramMessageId('nope')).toBeUndefined();
  });
});

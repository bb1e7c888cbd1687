import { echoEventId, mapEchoUpdate } from '../echo.mapper';
import type { EchoMessage, EchoUpdate } from '../echo-platform.types';

const message = (overrides: Partial<EchoMessage> = {}): EchoMessage => ({
  message_id: 'msg-7',
  chat: { id: 'chat-c1', type: 'private' },
  from: { id: 'c1', name: 'Ana', username: 'ana' },
  text: 'hello',
  attachments: [],
  date: '2026-11-28T10:00:00.000Z',
  ...overrides,
});

describe('mapEchoUpdate', () => {
  it('maps a message with sender, conversation, reply and html', () => {
    const update: EchoUpdate = {
      update_id: 3,
      account_id: 'bot-1',
      type: 'message',
      message: message({ html: '<b>hello</b>', reply_to_message_id: 'msg-2' }),
    };
    expect(mapEchoUpdate(update)).toEqual({
      type: 'message',
      eventId: 'echo:bot-1:3',
      externalMessageId: 'msg-7',
      conversation: { externalId: 'chat-c1', isGroup: false },
      sender: { id: 'c1', displayName: 'Ana', handle: '@ana' },
      text: 'hello',
      html: '<b>hello</b>',
      attachments: [],
      inReplyToExternalId: 'msg-2',
      timestamp: '2026-11-28T10:00:00.000Z',
    });
  });

  it("maps the customer's phone (E.164 only) and email to the sender", () => {
    const from = { id: 'c1', name: 'Ana', phone: '+4915112345678', email: 'ana@example.com' };
    const mapped = mapEchoUpdate({
      update_id: 6,
      account_id: 'bot-1',
      type: 'message',
      message: message({ from }),
    });
    expect(mapped).toMatchObject({
      sender: { id: 'c1', displayName: 'Ana', phone: '+4915112345678', email: 'ana@example.com' },
    });
    const malformed = mapEchoUpdate({
      update_id: 7,
      account_id: 'bot-1',
      type: 'message',
      message: message({ from: { id: 'c1', name: 'Ana', phone: '0151 123' } }),
    });
    expect(malformed.type === 'message' && malformed.sender).toEqual({
      id: 'c1',
      displayName: 'Ana',
    });
  });

  it('maps an edit to the edited message id and the edit time', () => {
    const event = mapEchoUpdate({
      update_id: 4,
      account_id: 'bot-1',
      type: 'edited_message',
      message: message({ text: 'hello!', edit_date: '2026-11-28T10:05:00.000Z' }),
    });
    expect(event).toMatchObject({
      type: 'message',
      text: 'hello!',
      editOf: { externalMessageId: 'msg-7' },
      timestamp: '2026-11-28T10:05:00.000Z',
    });
  });

  it('maps a read receipt to the messages read', () => {
    const event = mapEchoUpdate({
      update_id: 5,
      account_id: 'bot-1',
      type: 'read',
      read: {
        chat: { id: 'chat-c1', type: 'group', title: 'Team' },
        message_ids: ['msg-8', 'msg-9'],
        date: '2026-11-28T10:06:00.000Z',
      },
    });
    expect(event).toEqual({
      type: 'read',
      eventId: 'echo:bot-1:5',
      conversation: { externalId: 'chat-c1', isGroup: true, title: 'Team' },
      externalMessageIds: ['msg-8', 'msg-9'],
      upToAndIncluding: false,
      timestamp: '2026-11-28T10:06:00.000Z',
    });
  });

  it('maps files, stickers, locations and contacts', () => {
    const event = mapEchoUpdate({
      update_id: 6,
      account_id: 'bot-1',
      type: 'message',
      message: message({
        text: '',
        attachments: [
          {
            kind: 'file',
            file_id: 'f1',
            file_name: 'a.pdf',
            mime_type: 'application/pdf',
            size: 3,
          },
          {
            kind: 'sticker',
            file_id: 'f2',
            file_name: 's.webp',
            mime_type: 'image/webp',
            size: 2,
            emoji: '👍',
          },
          { kind: 'location', latitude: 1.5, longitude: 2.5, title: 'Here' },
          { kind: 'contact', first_name: 'Bo', phone_number: '+491234' },
        ],
      }),
    });
    expect(event.type === 'message' && event.attachments).toEqual([
      { kind: 'file', ref: 'f1', fileName: 'a.pdf', mimeType: 'application/pdf', sizeBytes: 3 },
      {
        kind: 'sticker',
        ref: 'f2',
        fileName: 's.webp',
        mimeType: 'image/webp',
        sizeBytes: 2,
        note: 'emoji 👍',
      },
      {
        kind: 'location',
        latitude: 1.5,
        longitude: 2.5,
        name: 'Here',
        url: 'https://www.openstreetmap.org/?mlat=1.5&mlon=2.5',
      },
      {
        kind: 'contact',
        firstName: 'Bo',
        phones: [{ phone: '+491234', type: 'CELL' }],
        emails: [],
      },
    ]);
  });

  it('gives a redelivered update the same event id', () => {
    expect(echoEventId({ account_id: 'bot-1', update_id: 9 })).toBe(
      echoEventId({ account_id: 'bot-1', update_id: 9 }),
    );
    expect(echoEventId({ account_id: 'bot-2', update_id: 9 })).not.toBe('echo:bot-1:9');
  });
});

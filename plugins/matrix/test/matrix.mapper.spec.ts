import { describe, expect, it } from '@jest/globals';
import { mapMatrixEvent, parseGeoUri } from '../matrix.mapper';
import type { MatrixEvent } from '../matrix.types';

const ROOM = '!room:localhost';
const event = (content: Record<string, unknown>, type = 'm.room.message'): MatrixEvent => ({
  type,
  event_id: '$ev1',
  sender: '@alice:localhost',
  origin_server_ts: 1_700_000_000_000,
  content,
});
const map = (content: Record<string, unknown>, type?: string) =>
  mapMatrixEvent(event(content, type), { roomId: ROOM, senderDisplayName: 'Alice' });

describe('mapMatrixEvent', () => {
  it('maps m.text with ids, room, sender and timestamp', () => {
    expect(map({ msgtype: 'm.text', body: 'hi' })).toEqual({
      type: 'message',
      eventId: '$ev1',
      externalMessageId: '$ev1',
      conversation: { externalId: ROOM },
      sender: { id: '@alice:localhost', handle: '@alice:localhost', displayName: 'Alice' },
      text: 'hi',
      attachments: [],
      timestamp: '2023-11-14T22:13:20.000Z',
    });
  });

  it('maps formatted_body to normalized HTML and its text', () => {
    const message = map({
      msgtype: 'm.notice',
      body: '**bold** link',
      format: 'org.matrix.custom.html',
      formatted_body:
        '<strong>bold</strong> <a href="https://x.org/?a=1&amp;b=2">link</a><script>x</script>',
    });
    expect(message?.html).toBe('<b>bold</b> <a href="https://x.org/?a=1&amp;b=2">link</a>');
    expect(message?.text).toBe('bold link');
  });

  it('maps m.emote as text', () => {
    expect(map({ msgtype: 'm.emote', body: 'waves' })?.text).toBe('waves');
  });

  it('maps media with mxc ref, file name, MIME type and size; a different body is a caption', () => {
    const message = map({
      msgtype: 'm.file',
      body: 'see attached',
      filename: 'report.pdf',
      url: 'mxc://localhost/abc',
      info: { mimetype: 'application/pdf', size: 42 },
    });
    expect(message?.text).toBe('see attached');
    expect(message?.attachments).toEqual([
      {
        kind: 'file',
        ref: 'mxc://localhost/abc',
        fileName: 'report.pdf',
        mimeType: 'application/pdf',
        sizeBytes: 42,
      },
    ]);
    const image = map({ msgtype: 'm.image', body: 'a.png', url: 'mxc://localhost/i' });
    expect(image?.text).toBe('');
    expect(image?.attachments[0]).toMatchObject({ kind: 'image', fileName: 'a.png' });
  });

  it('maps MSC3245 voice messages to "voice" and plain m.audio to "audio"', () => {
    const voice = map({
      msgtype: 'm.audio',
      body: 'Voice message',
      url: 'mxc://localhost/v',
      info: { mimetype: 'audio/ogg', duration: 1200 },
      'org.matrix.msc3245.voice': {},
    });
    expect(voice?.attachments[0]).toMatchObject({ kind: 'voice', note: 'duration 1200 ms' });
    expect(
      map({ msgtype: 'm.audio', body: 'a.mp3', url: 'mxc://localhost/a' })?.attachments[0],
    ).toMatchObject({ kind: 'audio' });
    expect(
      map({ msgtype: 'm.video', body: 'v.mp4', url: 'mxc://localhost/v' })?.attachments[0],
    ).toMatchObject({ kind: 'video' });
  });

  it('maps m.location geo URIs', () => {
    expect(
      map({ msgtype: 'm.location', body: 'Office', geo_uri: 'geo:52.52,13.405;u=35' })?.attachments,
    ).toEqual([
      {
        kind: 'location',
        latitude: 52.52,
        longitude: 13.405,
        name: 'Office',
        url: 'geo:52.52,13.405;u=35',
      },
    ]);
    expect(parseGeoUri('geo:abc')).toBeUndefined();
    expect(parseGeoUri('geo:91,0')).toBeUndefined();
  });

  it('maps replies (stripping a legacy fallback) and edits (m.new_content)', () => {
    const reply = map({
      msgtype: 'm.text',
      body: '> <@bob:localhost> earlier\n\nmy answer',
      'm.relates_to': { 'm.in_reply_to': { event_id: '$earlier' } },
    });
    expect(reply).toMatchObject({ text: 'my answer', inReplyToExternalId: '$earlier' });
    const edit = map({
      msgtype: 'm.text',
      body: '* fixed',
      'm.new_content': { msgtype: 'm.text', body: 'fixed' },
      'm.relates_to': { rel_type: 'm.replace', event_id: '$orig' },
    });
    expect(edit).toMatchObject({
      text: 'fixed',
      editOf: { externalMessageId: '$orig' },
      eventId: '$ev1',
    });
  });

  it('ignores other event types and messages without msgtype', () => {
    expect(map({ membership: 'join' }, 'm.room.member')).toBeUndefined();
    expect(map({ body: 'no msgtype' })).toBeUndefined();
  });
});

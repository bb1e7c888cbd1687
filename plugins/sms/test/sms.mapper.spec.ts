import { parseTwilioInbound, parseTwilioStatus } from '../providers/twilio/twilio-inbound';
import { twilioDeliveryState } from '../providers/twilio/twilio-status';
import {
  attachmentKindOf,
  gatewayStatusOf,
  mapInboundSms,
  mapReadReceipt,
  mapReassertedStatus,
  mapStatus,
  mediaFileName,
} from '../sms.mapper';

const NOW = new Date('2026-11-24T19:00:32Z');
const MEDIA =
  'https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/MM00000000000000000000000000000000/Media/ME00000000000000000000000000000000';

describe('inbound mapping', () => {
  const params = {
    MessageSid: 'MM00000000000000000000000000000000',
    From: '+15558675310',
    To: '+15017122661',
    Body: 'Hello',
    NumMedia: '2',
    MediaUrl0: MEDIA,
    MediaContentType0: 'image/jpeg',
    MediaUrl1: `${MEDIA}1`,
    MediaContentType1: 'application/pdf',
  };

  it('one conversation per customer number, MessageSid as event and message id, media as refs', () => {
    const sms = parseTwilioInbound(params, NOW);
    expect(sms).toBeDefined();
    const event = mapInboundSms('twilio', sms!);
    expect(event).toEqual({
      type: 'message',
      eventId: 'twilio:MM00000000000000000000000000000000',
      externalMessageId: 'MM00000000000000000000000000000000',
      conversation: { externalId: '+15558675310' },
      sender: { id: '+15558675310', phone: '+15558675310' },
      text: 'Hello',
      attachments: [
        { kind: 'image', ref: MEDIA, mimeType: 'image/jpeg' },
        { kind: 'file', ref: `${MEDIA}1`, mimeType: 'application/pdf' },
      ],
      timestamp: NOW.toISOString(),
    });
  });

  it('rejects a webhook without MessageSid/From/To', () => {
    expect(parseTwilioInbound({ Body: 'x' }, NOW)).toBeUndefined();
  });

  it('keeps OptOutType and non-phone senders (short codes) as they are', () => {
    const sms = parseTwilioInbound(
      { ...params, NumMedia: '0', From: '12345', OptOutType: 'STOP' },
      NOW,
    );
    expect(sms).toMatchObject({ from: '12345', optOutType: 'STOP', media: [] });
    expect(mapInboundSms('twilio', sms!).sender).toEqual({ id: '12345' });
  });

  it('kinds and file names by content type', () => {
    expect(attachmentKindOf('audio/amr')).toBe('audio');
    expect(attachmentKindOf('video/3gpp')).toBe('video');
    expect(attachmentKindOf('text/vcard')).toBe('file');
    expect(attachmentKindOf(undefined)).toBe('file');
    expect(mediaFileName(MEDIA, 'application/pdf')).toBe('ME00000000000000000000000000000000.pdf');
    expect(mediaFileName('nonsense', 'x/y')).toBe('media.bin');
  });
});

describe('status mapping', () => {
  it.each([
    ['queued', 'SENT'],
    ['accepted', 'SENT'],
    ['sending', 'SENT'],
    ['sent', 'SENT'],
    ['delivered', 'SENT'],
    ['undelivered', 'FAILED'],
    ['failed', 'FAILED'],
    ['read', 'READ'],
    ['receiving', undefined],
  ])('%s -> %s', (raw, status) => {
    const update = parseTwilioStatus(
      { MessageSid: 'SM1', MessageStatus: raw, To: '+15558675310' },
      NOW,
    );
    expect(gatewayStatusOf(update!)).toBe(status);
  });

  it('FAILED carries the ErrorCode and a readable reason', () => {
    const update = parseTwilioStatus(
      { MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30003', To: '+15558675310' },
      NOW,
    )!;
    expect(mapStatus('twilio', update, 'FAILED')).toEqual({
      type: 'status',
      eventId: 'twilio:SM1:FAILED',
      externalMessageId: 'SM1',
      status: 'FAILED',
      reason: 'recipient handset unreachable (Twilio 30003)',
      timestamp: NOW.toISOString(),
    });
  });

  it('read also gives a read receipt in the customer conversation', () => {
    const update = parseTwilioStatus(
      { MessageSid: 'SM1', MessageStatus: 'read', To: '+15558675310' },
      NOW,
    )!;
    expect(mapReadReceipt('twilio', update)).toMatchObject({
      type: 'read',
      conversation: { externalId: '+15558675310' },
      externalMessageIds: ['SM1'],
    });
  });

  it('a higher status said again after a lower one has its own event id and keeps its reason', () => {
    const failed = {
      status: 'FAILED' as const,
      at: NOW.toISOString(),
      reason: 'lost (Twilio 30005)',
    };
    expect(mapReassertedStatus('twilio', 'SM1', failed, 'SENT', 'later')).toEqual({
      type: 'status',
      eventId: 'twilio:SM1:FAILED:after-SENT',
      externalMessageId: 'SM1',
      status: 'FAILED',
      reason: 'lost (Twilio 30005)',
      timestamp: NOW.toISOString(),
    });
    // A record from before reasons were kept: no time, no reason.
    expect(
      mapReassertedStatus('twilio', 'SM1', { status: 'READ', at: '' }, 'FAILED', NOW.toISOString()),
    ).toMatchObject({ eventId: 'twilio:SM1:READ:after-FAILED', timestamp: NOW.toISOString() });
  });

  it('unknown statuses are "other"', () => {
    expect(twilioDeliveryState('warp')).toBe('other');
    expect(parseTwilioStatus({ MessageSid: 'SM1' }, NOW)).toBeUndefined();
  });
});

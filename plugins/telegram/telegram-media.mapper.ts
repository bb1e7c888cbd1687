/**
 * The media of a Telegram message -> normalized attachments, plus a text placeholder for content
 * the model has no attachment kind for (polls, dice, stories...).
 */
import type { Message } from 'grammy/types';
import type { InboundAttachment, InboundBinaryAttachment } from '../../src/core/adapter';

export interface MappedMedia {
  attachments: InboundAttachment[];
  placeholder?: string;
}

const STICKER_MIME = {
  static: 'image/webp',
  animated: 'application/x-tgsticker',
  video: 'video/webm',
} as const;

interface FileLike {
  file_id: string;
  file_size?: number;
  file_name?: string;
  mime_type?: string;
}

function binary(
  kind: InboundBinaryAttachment['kind'],
  file: FileLike,
  extra: { mimeType?: string; note?: string; fileName?: string } = {},
): InboundBinaryAttachment {
  const attachment: InboundBinaryAttachment = { kind, ref: file.file_id };
  const fileName = file.file_name ?? extra.fileName;
  const mimeType = file.mime_type ?? extra.mimeType;
  if (fileName) attachment.fileName = fileName;
  if (mimeType) attachment.mimeType = mimeType;
  if (file.file_size !== undefined) attachment.sizeBytes = file.file_size;
  if (extra.note) attachment.note = extra.note;
  return attachment;
}

export function mapMedia(message: Message): MappedMedia {
  const attachments: InboundAttachment[] = [];
  let placeholder: string | undefined;
  if (message.photo && message.photo.length > 0) {
    attachments.push(binary('image', message.photo[message.photo.length - 1]));
  }
  if (message.animation) {
    // An animation also carries `document` (the same file): report it once, as a video.
    attachments.push(
      binary('video', message.animation, { mimeType: 'video/mp4', note: 'animation' }),
    );
  } else if (message.document) {
    attachments.push(binary('file', message.document));
  }
  if (message.audio) {
    const note = [message.audio.performer, message.audio.title].filter(Boolean).join(' - ');
    attachments.push(binary('audio', message.audio, { note: note || undefined }));
  }
  if (message.voice) {
    attachments.push(
      binary('voice', message.voice, {
        mimeType: 'audio/ogg',
        note: `duration ${message.voice.duration}s`,
      }),
    );
  }
  if (message.video) attachments.push(binary('video', message.video));
  if (message.video_note) {
    attachments.push(
      binary('video', message.video_note, { mimeType: 'video/mp4', note: 'video note' }),
    );
  }
  if (message.sticker) {
    const sticker = message.sticker;
    const format = sticker.is_animated ? 'animated' : sticker.is_video ? 'video' : 'static';
    const extension = { static: 'webp', animated: 'tgs', video: 'webm' }[format];
    attachments.push(
      binary('sticker', sticker, {
        mimeType: STICKER_MIME[format],
        fileName: `sticker.${extension}`,
        note: [`${format} sticker`, sticker.emoji].filter(Boolean).join(' '),
      }),
    );
  }
  if (message.venue) {
    const { location, title, address } = message.venue;
    attachments.push({
      kind: 'location',
      latitude: location.latitude,
      longitude: location.longitude,
      name: title,
      address,
      url: mapUrl(location.latitude, location.longitude),
    });
  } else if (message.location) {
    const { latitude, longitude } = message.location;
    attachments.push({ kind: 'location', latitude, longitude, url: mapUrl(latitude, longitude) });
  }
  if (message.contact) {
    const contact = message.contact;
    const card: InboundAttachment = {
      kind: 'contact',
      phones: [{ phone: contact.phone_number, type: 'CELL' }],
      emails: [],
    };
    if (contact.first_name) card.firstName = contact.first_name;
    if (contact.last_name) card.lastName = contact.last_name;
    attachments.push(card);
  }
  if (message.poll) placeholder = `[poll: ${message.poll.question}]`;
  else if (message.dice) placeholder = `[dice: ${message.dice.emoji} ${message.dice.value}]`;
  else if (message.story) placeholder = '[story]';
  else if (message.game) placeholder = `[game: ${message.game.title}]`;
  return placeholder ? { attachments, placeholder } : { attachments };
}

function mapUrl(latitude: number, longitude: number): string {
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}`;
}

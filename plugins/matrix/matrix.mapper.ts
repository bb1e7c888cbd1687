/**
 * Maps Matrix room events (m.room.message and m.sticker) to the normalized inbound model.
 */
import type {
  InboundAttachment,
  InboundBinaryAttachment,
  InboundMessageEvent,
  LocationAttachment,
} from '../../src/core/adapter';
import { isRecord } from './matrix-errors';
import { htmlToText, stripReplyFallback, toNormalizedHtml } from './matrix-html';
import type { MatrixEvent } from './matrix.types';

export const HTML_FORMAT = 'org.matrix.custom.html';
export const VOICE_FLAG = 'org.matrix.msc3245.voice';

const MEDIA_KINDS: Record<string, InboundBinaryAttachment['kind']> = {
  'm.image': 'image',
  'm.file': 'file',
  'm.audio': 'audio',
  'm.video': 'video',
};

export interface MapContext {
  roomId: string;
  senderDisplayName?: string;
}

/** The normalized message of a room event, or undefined when it is not a customer message. */
export function mapMatrixEvent(
  event: MatrixEvent,
  context: MapContext,
): InboundMessageEvent | undefined {
  if (event.type !== 'm.room.message' && event.type !== 'm.sticker') return undefined;
  if (!event.event_id || !isRecord(event.content)) return undefined;
  const relates = isRecord(event.content['m.relates_to']) ? event.content['m.relates_to'] : {};
  const isEdit = relates.rel_type === 'm.replace' && typeof relates.event_id === 'string';
  const content =
    isEdit && isRecord(event.content['m.new_content'])
      ? event.content['m.new_content']
      : event.content;
  const msgtype = event.type === 'm.sticker' ? 'm.sticker' : str(content.msgtype);
  if (msgtype === undefined) return undefined;

  const { text, html, attachments } = mapContent(msgtype, content);
  const message: InboundMessageEvent = {
    type: 'message',
    eventId: event.event_id,
    externalMessageId: event.event_id,
    conversation: { externalId: context.roomId },
    sender: {
      id: event.sender,
      handle: event.sender,
      ...(context.senderDisplayName ? { displayName: context.senderDisplayName } : {}),
    },
    text,
    attachments,
    timestamp: new Date(event.origin_server_ts ?? Date.now()).toISOString(),
  };
  if (html !== undefined) message.html = html;
  const inReplyTo = isRecord(relates['m.in_reply_to'])
    ? relates['m.in_reply_to'].event_id
    : undefined;
  if (typeof inReplyTo === 'string') message.inReplyToExternalId = inReplyTo;
  if (isEdit) message.editOf = { externalMessageId: String(relates.event_id) };
  return message;
}

function mapContent(
  msgtype: string,
  content: Record<string, unknown>,
): { text: string; html?: string; attachments: InboundAttachment[] } {
  const body = str(content.body) ?? '';
  const kind = msgtype === 'm.sticker' ? 'image' : MEDIA_KINDS[msgtype];
  if (kind) {
    const filename = str(content.filename);
    const attachment = mediaAttachment(
      kind === 'audio' && isRecord(content[VOICE_FLAG]) ? 'voice' : kind,
      content,
      filename ?? body,
    );
    // v1.10 captions: `body` is a caption only when a different `filename` is present.
    const caption = filename !== undefined && filename !== body ? body : '';
    const html = caption ? formatted(content) : undefined;
    return {
      text: caption,
      ...(html ? { html } : {}),
      attachments: attachment ? [attachment] : [],
    };
  }
  if (msgtype === 'm.location') {
    const location = parseGeoUri(str(content.geo_uri) ?? '');
    if (location) {
      if (body) location.name = body;
      return { text: '', attachments: [location] };
    }
    return { text: body, attachments: [] };
  }
  const html = formatted(content);
  const text = html !== undefined ? htmlToText(html) : stripReplyFallback(body);
  return {
    text: html !== undefined && text.trim() === '' ? stripReplyFallback(body) : text,
    ...(html ? { html } : {}),
    attachments: [],
  };
}

/** Normalized HTML of a formatted body, when there is one with actual markup. */
function formatted(content: Record<string, unknown>): string | undefined {
  if (content.format !== HTML_FORMAT) return undefined;
  const source = str(content.formatted_body);
  if (source === undefined) return undefined;
  const html = toNormalizedHtml(source);
  return /<[a-z]/.test(html) ? html : undefined;
}

function mediaAttachment(
  kind: InboundBinaryAttachment['kind'],
  content: Record<string, unknown>,
  fileName: string,
): InboundBinaryAttachment | undefined {
  const url = str(content.url);
  if (url === undefined || !url.startsWith('mxc://')) return undefined;
  const info = isRecord(content.info) ? content.info : {};
  const attachment: InboundBinaryAttachment = { kind, ref: url };
  if (fileName) attachment.fileName = fileName;
  const mimetype = str(info.mimetype);
  if (mimetype) attachment.mimeType = mimetype;
  if (typeof info.size === 'number' && Number.isInteger(info.size))
    attachment.sizeBytes = info.size;
  if (typeof info.duration === 'number') attachment.note = `duration ${info.duration} ms`;
  return attachment;
}

/** `geo:lat,lon[,alt][;u=…]` (RFC 5870) as a location. */
export function parseGeoUri(uri: string): LocationAttachment | undefined {
  const match = /^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/i.exec(uri.trim());
  if (!match) return undefined;
  const latitude = Number(match[1]);
  const longitude = Number(match[2]);
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return { kind: 'location', latitude, longitude, url: uri.trim() };
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

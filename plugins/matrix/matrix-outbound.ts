/**
 * Builds and sends the m.room.message events of one agent reply: text (body + sanitised
 * formatted_body), one event per attachment, the reply relation on the first event.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  PermanentError,
  type OutboundAttachment,
  type OutboundMessage,
} from '../../src/core/adapter';
import { toGatewayError } from './matrix-errors';
import { htmlToText, toMatrixHtml } from './matrix-html';
import { CLIENT_V3, seg, type MatrixHttpClient } from './matrix-http';
import { uploadMedia } from './matrix-media';
import { HTML_FORMAT, VOICE_FLAG } from './matrix.mapper';
import { splitText } from './matrix-text-splitter';

type Content = Record<string, unknown>;

const MSGTYPES: Record<OutboundAttachment['kind'], string> = {
  image: 'm.image',
  sticker: 'm.image',
  audio: 'm.audio',
  voice: 'm.audio',
  video: 'm.video',
  file: 'm.file',
};

/** The text events of a reply: one with HTML when it fits, else plain parts. */
export function textContents(message: OutboundMessage, maxTextLength: number): Content[] {
  const html = message.html?.trim() ? toMatrixHtml(message.html) : '';
  const text = message.text.trim() !== '' ? message.text : html ? htmlToText(html) : '';
  if (text.trim() === '') return [];
  const parts = splitText(text, maxTextLength);
  // HTML without markup says nothing the body does not: such a reply goes as plain text.
  const formatted = /<[a-z]/i.test(html);
  if (parts.length === 1 && formatted && Array.from(html).length <= maxTextLength * 2) {
    return [{ msgtype: 'm.text', body: text, format: HTML_FORMAT, formatted_body: html }];
  }
  return parts.map((body) => ({ msgtype: 'm.text', body }));
}

export function mediaContent(
  attachment: OutboundAttachment,
  contentUri: string,
  size: number,
): Content {
  const content: Content = {
    msgtype: MSGTYPES[attachment.kind],
    body: attachment.fileName,
    filename: attachment.fileName,
    url: contentUri,
    info: { mimetype: attachment.mimeType, size },
  };
  if (attachment.kind === 'voice') content[VOICE_FLAG] = {};
  return content;
}

/** A transaction id derived from the idempotency key: a retry reuses it, the server dedupes. */
export function txnIdFor(idempotencyKey: string, index: number): string {
  const key = index === 0 ? idempotencyKey : `${idempotencyKey}#${index}`;
  return `gw_${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;
}

export async function sendMessage(
  client: MatrixHttpClient,
  message: OutboundMessage,
  maxTextLength: number,
): Promise<string[]> {
  const contents = textContents(message, maxTextLength);
  for (const attachment of message.attachments) {
    const bytes = await readAll(await attachment.open());
    const uri = await uploadMedia(client, bytes, attachment.fileName, attachment.mimeType);
    contents.push(mediaContent(attachment, uri, bytes.length));
  }
  if (contents.length === 0) {
    throw new PermanentError('The reply has neither text nor attachments');
  }
  if (message.inReplyToExternalId) {
    contents[0]['m.relates_to'] = { 'm.in_reply_to': { event_id: message.inReplyToExternalId } };
  }
  const roomId = message.conversation.externalId;
  const ids: string[] = [];
  for (const [index, content] of contents.entries()) {
    const path = `${CLIENT_V3}/rooms/${seg(roomId)}/send/m.room.message/${seg(txnIdFor(message.idempotencyKey, index))}`;
    try {
      const result = await client.json<{ event_id?: unknown }>({
        method: 'PUT',
        path,
        json: content,
      });
      if (typeof result.event_id !== 'string') throw new Error('the homeserver gave no event_id');
      ids.push(result.event_id);
    } catch (error) {
      throw toGatewayError(error, `sending to ${roomId}`);
    }
  }
  return ids;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

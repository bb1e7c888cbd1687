import { MatrixError } from '../http/errors';
import { asRecord, asString, type JsonObject } from '../util/json';
import {
  editContent,
  emoteContent,
  locationContent,
  mediaContent,
  noticeContent,
  replyContent,
  textContent,
  voiceContent,
  type MediaOptions,
} from './content';

function required(body: JsonObject, key: string): string {
  const v = asString(body[key]);
  if (v === undefined) throw new MatrixError(400, 'M_MISSING_PARAM', `'${key}' is required`);
  return v;
}

function mediaOptions(body: JsonObject): MediaOptions {
  const num = (k: string): number | undefined =>
    typeof body[k] === 'number' ? body[k] : undefined;
  const html = asString(body.captionHtml);
  return {
    url: required(body, 'url'),
    body: required(body, 'body'),
    filename: asString(body.filename),
    mimetype: asString(body.mimetype),
    size: num('size'),
    w: num('w'),
    h: num('h'),
    duration: num('duration'),
    ...(html !== undefined ? { caption: { html } } : {}),
  };
}

/**
 * Content for `POST /__sim/rooms/{roomId}/messages` by `kind`: text, notice, emote, image, file,
 * audio, voice, video, location, reply (`inReplyTo` + inner `message`), edit (`replaces` + `message`).
 */
export function contentForKind(body: JsonObject): JsonObject {
  const kind = required(body, 'kind');
  const textOpts = { html: asString(body.html) };
  switch (kind) {
    case 'text':
      return textContent(required(body, 'body'), textOpts);
    case 'notice':
      return noticeContent(required(body, 'body'), textOpts);
    case 'emote':
      return emoteContent(required(body, 'body'), textOpts);
    case 'image':
    case 'file':
    case 'audio':
    case 'video':
      return mediaContent(`m.${kind}`, mediaOptions(body));
    case 'voice':
      return voiceContent(mediaOptions(body));
    case 'location':
      return locationContent(required(body, 'geoUri'), asString(body.body));
    case 'reply':
      return replyContent(required(body, 'inReplyTo'), contentForKind(asRecord(body.message)));
    case 'edit':
      return editContent(required(body, 'replaces'), contentForKind(asRecord(body.message)));
    default:
      throw new MatrixError(400, 'M_INVALID_PARAM', `Unknown message kind '${kind}'`);
  }
}

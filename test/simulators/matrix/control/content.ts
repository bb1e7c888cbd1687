/** Builders for the message contents a "customer" sends (spec shapes, MSC3245 voice). */
import type { JsonObject } from '../util/json';

export interface TextOptions {
  html?: string;
  mentions?: string[];
}

function text(msgtype: string, body: string, opts: TextOptions = {}): JsonObject {
  return {
    msgtype,
    body,
    ...(opts.html !== undefined
      ? { format: 'org.matrix.custom.html', formatted_body: opts.html }
      : {}),
    ...(opts.mentions ? { 'm.mentions': { user_ids: opts.mentions } } : {}),
  };
}

export const textContent = (body: string, opts?: TextOptions): JsonObject =>
  text('m.text', body, opts);
export const noticeContent = (body: string, opts?: TextOptions): JsonObject =>
  text('m.notice', body, opts);
export const emoteContent = (body: string, opts?: TextOptions): JsonObject =>
  text('m.emote', body, opts);

export interface MediaOptions {
  /** mxc URI of uploaded media. */
  url: string;
  /** Shown text: the file name, or a caption when `filename` differs. */
  body: string;
  filename?: string;
  mimetype?: string;
  size?: number;
  /** Image/video dimensions. */
  w?: number;
  h?: number;
  /** Audio/video duration in ms. */
  duration?: number;
  caption?: { html: string };
}

export function mediaContent(
  msgtype: 'm.image' | 'm.file' | 'm.audio' | 'm.video',
  o: MediaOptions,
): JsonObject {
  const info: JsonObject = {};
  if (o.mimetype !== undefined) info.mimetype = o.mimetype;
  if (o.size !== undefined) info.size = o.size;
  if ((msgtype === 'm.image' || msgtype === 'm.video') && o.w !== undefined) info.w = o.w;
  if ((msgtype === 'm.image' || msgtype === 'm.video') && o.h !== undefined) info.h = o.h;
  if ((msgtype === 'm.audio' || msgtype === 'm.video') && o.duration !== undefined)
    info.duration = o.duration;
  return {
    msgtype,
    body: o.body,
    url: o.url,
    info,
    ...(o.filename !== undefined ? { filename: o.filename } : {}),
    ...(o.caption ? { format: 'org.matrix.custom.html', formatted_body: o.caption.html } : {}),
  };
}

/** Voice message: m.audio + MSC3245 `org.matrix.msc3245.voice` + MSC1767 audio block. */
export function voiceContent(o: MediaOptions & { waveform?: number[] }): JsonObject {
  return {
    ...mediaContent('m.audio', o),
    'org.matrix.msc1767.audio': {
      duration: o.duration ?? 0,
      waveform: o.waveform ?? [0, 512, 1024, 512, 0],
    },
    'org.matrix.msc3245.voice': {},
  };
}

export function locationContent(geoUri: string, body = 'Location'): JsonObject {
  return { msgtype: 'm.location', body, geo_uri: geoUri };
}

/** Reply (v1.13+: no fallback) to `eventId`. */
export function replyContent(eventId: string, inner: JsonObject): JsonObject {
  return { ...inner, 'm.relates_to': { 'm.in_reply_to': { event_id: eventId } } };
}

/** Edit of `eventId`: `* ` fallback in body, replacement in `m.new_content`. */
export function editContent(eventId: string, replacement: JsonObject): JsonObject {
  const body = typeof replacement.body === 'string' ? replacement.body : '';
  const fallback: JsonObject = { ...replacement, body: `* ${body}` };
  if (typeof replacement.formatted_body === 'string') {
    fallback.formatted_body = `* ${replacement.formatted_body}`;
  }
  return {
    ...fallback,
    'm.new_content': replacement,
    'm.relates_to': { rel_type: 'm.replace', event_id: eventId },
  };
}

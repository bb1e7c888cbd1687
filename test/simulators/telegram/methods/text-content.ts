import { detectEntities } from '../formatting/auto-entities';
import { formatText } from '../formatting/format-text';
import { badRequest } from '../http/errors';
import { list, str, type Params } from './method-types';

export const MAX_TEXT_LENGTH = 4096;
export const MAX_CAPTION_LENGTH = 1024;

/** `text` + `entities` of a sendMessage-like call, after parse_mode and Telegram's length rules. */
export function messageText(params: Params): Params {
  const formatted = formatText(
    str(params, 'text') ?? '',
    params.parse_mode,
    list(params, 'entities'),
  );
  if (formatted.text.trim() === '') throw badRequest('message text is empty');
  if (formatted.text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  const out: Params = { text: formatted.text };
  const entities = detectEntities(formatted.text, formatted.entities);
  if (entities.length > 0) out.entities = entities;
  return out;
}

/** `caption` + `caption_entities` of a media call (caption is optional, at most 1024 chars). */
export function captionFields(params: Params): Params {
  const caption = str(params, 'caption');
  if (caption === undefined || caption === '') return {};
  const formatted = formatText(caption, params.parse_mode, list(params, 'caption_entities'));
  if (formatted.text.length > MAX_CAPTION_LENGTH) throw badRequest('message caption is too long');
  if (formatted.text === '') return {};
  const out: Params = { caption: formatted.text };
  const entities = detectEntities(formatted.text, formatted.entities);
  if (entities.length > 0) out.caption_entities = entities;
  if (params.show_caption_above_media === true) out.show_caption_above_media = true;
  return out;
}

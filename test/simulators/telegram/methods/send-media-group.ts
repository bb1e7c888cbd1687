import { badRequest } from '../http/errors';
import { mediaFields } from '../media/media-objects';
import type { StoredFile } from '../state/file-store';
import type { TgMessage } from '../state/telegram-types';
import { resolveInputFile } from './input-file';
import { list, ok, type MethodContext, type Params } from './method-types';
import { newMessage, prepareOutgoing, recordSent } from './outgoing';
import { checkPhotoDimensions, mediaMeta, type MediaKind } from './send-media';
import { captionFields } from './text-content';

const VISUAL = new Set(['photo', 'video', 'live_photo']);

function checkMixing(types: string[]): void {
  if (types.length < 2) throw badRequest('too few messages to send as an album');
  if (types.length > 10) throw badRequest('too many messages to send as an album');
  const distinct = new Set(types);
  const allVisual = [...distinct].every((t) => VISUAL.has(t));
  if (!allVisual && distinct.size > 1) {
    throw badRequest(
      'documents and audio files can be grouped in an album only with the same type',
    );
  }
}

let groupCounter = 0;

/** sendMediaGroup: 2-10 items; photos/videos mix, documents and audio only with their own kind. */
export async function sendMediaGroup(ctx: MethodContext): Promise<ReturnType<typeof ok>> {
  const items = (list(ctx.params, 'media') ?? []) as Params[];
  checkMixing(items.map((item) => String(item.type)));
  const prepared: Array<{ kind: MediaKind; file: StoredFile; item: Params; caption: Params }> = [];
  const files: Array<{ param: string; file: StoredFile }> = [];
  for (const [index, item] of items.entries()) {
    const kind: MediaKind = item.type === 'live_photo' ? 'photo' : (String(item.type) as MediaKind);
    const file = await resolveInputFile(ctx, item.media, kind, `media[${index}]`);
    if (kind === 'photo') checkPhotoDimensions(file);
    const caption = captionFields(item);
    prepared.push({ kind, file, item, caption });
    files.push({ param: `media[${index}]`, file });
  }
  const out = prepareOutgoing(ctx);
  const mediaGroupId = `${Date.now()}${String(++groupCounter).padStart(4, '0')}`;
  const messages: TgMessage[] = prepared.map(({ kind, file, item, caption }) => {
    const content: Params = {
      media_group_id: mediaGroupId,
      ...mediaFields(ctx.bot.files, kind, file, mediaMeta(item)),
      ...caption,
    };
    if (item.has_spoiler === true) content.has_media_spoiler = true;
    return newMessage(ctx, out, content);
  });
  recordSent(ctx, out.chat, messages, files);
  return ok(messages);
}

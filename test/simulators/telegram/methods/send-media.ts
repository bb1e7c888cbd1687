import { badRequest } from '../http/errors';
import { mediaFields, type MediaMeta } from '../media/media-objects';
import type { FileKind, StoredFile } from '../state/file-store';
import { imageSize } from '../state/media-sniff';
import { resolveInputFile } from './input-file';
import { int, ok, str, type MethodContext, type MethodHandler, type Params } from './method-types';
import { newMessage, prepareOutgoing, recordSent } from './outgoing';
import { captionFields } from './text-content';

export type MediaKind = Exclude<FileKind, 'thumbnail'>;

/** Voice notes must be OGG/Opus, MP3 or M4A; anything else is delivered as a document. */
const VOICE_MIME = new Set(['audio/ogg', 'audio/mpeg', 'audio/mp4', 'audio/x-m4a', 'audio/opus']);

export function mediaMeta(params: Params, thumbnail?: StoredFile): MediaMeta {
  return {
    width: int(params, 'width'),
    height: int(params, 'height'),
    duration: int(params, 'duration'),
    length: int(params, 'length'),
    performer: str(params, 'performer'),
    title: str(params, 'title'),
    emoji: str(params, 'emoji'),
    thumbnail,
  };
}

export function checkPhotoDimensions(file: StoredFile): void {
  const size = imageSize(file.data);
  if (!size) return;
  const ratio = Math.max(size.width, size.height) / Math.max(1, Math.min(size.width, size.height));
  if (size.width + size.height > 10_000 || ratio > 20) throw badRequest('PHOTO_INVALID_DIMENSIONS');
}

export function effectiveKind(kind: MediaKind, file: StoredFile): MediaKind {
  if (kind === 'voice' && !VOICE_MIME.has(file.mime_type ?? '')) return 'document';
  return kind;
}

/** sendPhoto/sendDocument/sendAudio/sendVoice/sendVideo/sendAnimation/sendVideoNote/sendSticker. */
export function sendMedia(param: string, kind: MediaKind): MethodHandler {
  return async (ctx: MethodContext) => {
    const caption = kind === 'sticker' || kind === 'video_note' ? {} : captionFields(ctx.params);
    const file = await resolveInputFile(ctx, ctx.params[param], kind, param);
    if (kind === 'photo') checkPhotoDimensions(file);
    const thumbnail =
      ctx.params.thumbnail !== undefined
        ? await resolveInputFile(ctx, ctx.params.thumbnail, 'thumbnail', 'thumbnail')
        : undefined;
    const out = prepareOutgoing(ctx);
    const content: Params = {
      ...mediaFields(
        ctx.bot.files,
        effectiveKind(kind, file),
        file,
        mediaMeta(ctx.params, thumbnail),
      ),
      ...caption,
    };
    if (ctx.params.has_spoiler === true) content.has_media_spoiler = true;
    const message = newMessage(ctx, out, content);
    const files = [{ param, file }];
    if (thumbnail) files.push({ param: 'thumbnail', file: thumbnail });
    recordSent(ctx, out.chat, [message], files);
    return ok(message);
  };
}

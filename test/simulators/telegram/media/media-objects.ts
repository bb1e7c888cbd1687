import type { FileKind, FileStore, StoredFile } from '../state/file-store';
import { imageSize } from '../state/media-sniff';

/** Optional attributes of a media object (from send parameters or injected updates). */
export interface MediaMeta {
  width?: number;
  height?: number;
  duration?: number;
  performer?: string;
  title?: string;
  length?: number;
  emoji?: string;
  sticker_format?: 'static' | 'animated' | 'video';
  thumbnail?: StoredFile;
}

export function fileRef(file: StoredFile): Record<string, unknown> {
  const ref: Record<string, unknown> = {
    file_id: file.file_id,
    file_unique_id: file.file_unique_id,
  };
  if (!file.source_url || file.file_size > 0) ref.file_size = file.file_size;
  return ref;
}

function named(file: StoredFile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (file.file_name !== undefined) out.file_name = file.file_name;
  if (file.mime_type !== undefined) out.mime_type = file.mime_type;
  return out;
}

function thumb(meta: MediaMeta): Record<string, unknown> {
  if (!meta.thumbnail) return {};
  const size = imageSize(meta.thumbnail.data) ?? { width: 320, height: 320 };
  return { thumbnail: { ...fileRef(meta.thumbnail), ...size } };
}

const PHOTO_STEPS = [90, 320, 800, 1280];

/**
 * Telegram stores a photo in several sizes (ascending, the last is the largest). The simulator keeps
 * the original bytes for every size; smaller entries get scaled dimensions and their own file_id.
 */
export function photoSizes(store: FileStore, file: StoredFile, meta: MediaMeta = {}): unknown[] {
  const dims = imageSize(file.data) ?? {
    width: meta.width ?? 1280,
    height: meta.height ?? 960,
  };
  const longest = Math.max(dims.width, dims.height, 1);
  const sizes: unknown[] = [];
  for (const step of PHOTO_STEPS) {
    if (step >= longest) break;
    const scale = step / longest;
    const copy = store.add({ kind: 'photo', data: file.data, mime_type: file.mime_type });
    sizes.push({
      ...fileRef(copy),
      width: Math.max(1, Math.round(dims.width * scale)),
      height: Math.max(1, Math.round(dims.height * scale)),
    });
  }
  sizes.push({ ...fileRef(file), width: dims.width, height: dims.height });
  return sizes;
}

function stickerFormat(file: StoredFile, meta: MediaMeta): 'static' | 'animated' | 'video' {
  if (meta.sticker_format) return meta.sticker_format;
  if (file.mime_type === 'application/x-tgsticker' || /\.tgs$/i.test(file.file_name ?? '')) {
    return 'animated';
  }
  if (file.mime_type === 'video/webm' || /\.webm$/i.test(file.file_name ?? '')) return 'video';
  return 'static';
}

/** The message field(s) for one media file, e.g. `{ video: {...} }` or `{ animation, document }`. */
export function mediaFields(
  store: FileStore,
  kind: Exclude<FileKind, 'thumbnail'>,
  file: StoredFile,
  meta: MediaMeta = {},
): Record<string, unknown> {
  const ref = fileRef(file);
  const video = {
    width: meta.width ?? 640,
    height: meta.height ?? 360,
    duration: meta.duration ?? 0,
  };
  switch (kind) {
    case 'photo':
      return { photo: photoSizes(store, file, meta) };
    case 'document':
      return { document: { ...ref, ...named(file), ...thumb(meta) } };
    case 'audio': {
      const audio: Record<string, unknown> = {
        ...ref,
        duration: meta.duration ?? 0,
        ...named(file),
      };
      if (meta.performer !== undefined) audio.performer = meta.performer;
      if (meta.title !== undefined) audio.title = meta.title;
      return { audio: { ...audio, ...thumb(meta) } };
    }
    case 'voice':
      return {
        voice: { ...ref, duration: meta.duration ?? 0, mime_type: file.mime_type ?? 'audio/ogg' },
      };
    case 'video':
      return { video: { ...ref, ...video, ...named(file), ...thumb(meta) } };
    case 'animation': {
      const animation = { ...ref, ...video, ...named(file), ...thumb(meta) };
      return { animation, document: { ...ref, ...named(file), ...thumb(meta) } };
    }
    case 'video_note':
      return {
        video_note: {
          ...ref,
          length: meta.length ?? 240,
          duration: meta.duration ?? 0,
          ...thumb(meta),
        },
      };
    case 'sticker': {
      const format = stickerFormat(file, meta);
      const sticker: Record<string, unknown> = {
        ...ref,
        type: 'regular',
        width: meta.width ?? 512,
        height: meta.height ?? 512,
        is_animated: format === 'animated',
        is_video: format === 'video',
        ...thumb(meta),
      };
      if (meta.emoji !== undefined) sticker.emoji = meta.emoji;
      return { sticker };
    }
  }
}

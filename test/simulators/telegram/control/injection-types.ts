import type { MediaMeta } from '../media/media-objects';
import type { FileKind } from '../state/file-store';
import type { TgMessage, TgMessageEntity, TgUpdate } from '../state/telegram-types';

/** Bytes for a customer's media: an existing file_id of this bot, base64 data, or a size to fill. */
export interface MediaInput extends MediaMeta {
  file_id?: string;
  data_base64?: string;
  /** Creates a file of exactly this many bytes (e.g. > 20 MB to test getFile's limit). */
  size?: number;
  file_name?: string;
  mime_type?: string;
}

export interface UploadFileInput {
  kind: FileKind;
  data_base64?: string;
  size?: number;
  file_name?: string;
  mime_type?: string;
}

export const MEDIA_KEYS = [
  'document',
  'audio',
  'voice',
  'video',
  'video_note',
  'animation',
  'sticker',
] as const;

export interface InjectMessageInput {
  chat_id: number;
  /** Sender; defaults to the user of a private chat, required in groups. */
  from_id?: number;
  date?: number;
  text?: string;
  entities?: TgMessageEntity[];
  caption?: string;
  caption_entities?: TgMessageEntity[];
  /** One picture (sizes are generated) or explicit sizes in ascending order. */
  photo?: MediaInput | MediaInput[];
  document?: MediaInput;
  audio?: MediaInput;
  voice?: MediaInput;
  video?: MediaInput;
  video_note?: MediaInput;
  animation?: MediaInput;
  sticker?: MediaInput;
  location?: Record<string, unknown>;
  contact?: Record<string, unknown>;
  media_group_id?: string;
  reply_to_message_id?: number;
  /** Any further Message fields, copied as they are (venue, dice, poll...). */
  extra?: Record<string, unknown>;
}

export interface InjectEditInput {
  chat_id: number;
  message_id: number;
  text?: string;
  entities?: TgMessageEntity[];
  caption?: string;
  caption_entities?: TgMessageEntity[];
  edit_date?: number;
}

export interface MediaGroupItemInput {
  type: 'photo' | 'video' | 'document' | 'audio';
  media: MediaInput;
  caption?: string;
  caption_entities?: TgMessageEntity[];
}

export interface InjectMediaGroupInput {
  chat_id: number;
  from_id?: number;
  media_group_id?: string;
  items: MediaGroupItemInput[];
}

export interface Injected {
  /** Undefined when the bot's allowed_updates filtered the update out. */
  update?: TgUpdate;
  message: TgMessage;
}

import { createHash } from 'node:crypto';

export type FileKind =
  | 'photo'
  | 'document'
  | 'audio'
  | 'voice'
  | 'video'
  | 'video_note'
  | 'animation'
  | 'sticker'
  | 'thumbnail';

const FOLDERS: Record<FileKind, [string, string]> = {
  photo: ['photos', 'jpg'],
  document: ['documents', 'bin'],
  audio: ['music', 'mp3'],
  voice: ['voice', 'oga'],
  video: ['videos', 'mp4'],
  video_note: ['video_notes', 'mp4'],
  animation: ['animations', 'mp4'],
  sticker: ['stickers', 'webp'],
  thumbnail: ['thumbnails', 'jpg'],
};

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  kind: FileKind;
  data: Buffer;
  file_size: number;
  file_path: string;
  file_name?: string;
  mime_type?: string;
  /** Set when the bot passed an HTTP URL that the simulator did not download. */
  source_url?: string;
}

export interface AddFileInput {
  kind: FileKind;
  data: Buffer;
  file_name?: string;
  mime_type?: string;
  source_url?: string;
}

/** Telegram's bot download cap. */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

function extensionOf(name: string | undefined): string | undefined {
  const match = name ? /\.([A-Za-z0-9]{1,8})$/.exec(name) : null;
  return match ? match[1].toLowerCase() : undefined;
}

/** Files known to one bot (file_ids are bot-specific in Telegram). */
export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private counter = 0;

  constructor(private readonly botId: number) {}

  add(input: AddFileInput): StoredFile {
    const n = ++this.counter;
    const [folder, defaultExt] = FOLDERS[input.kind];
    const ext = extensionOf(input.file_name) ?? defaultExt;
    const digest = createHash('sha1')
      .update(`${this.botId}:${n}:${input.kind}`)
      .digest('base64url');
    const file: StoredFile = {
      file_id: `${input.kind.slice(0, 2).toUpperCase()}ACAgIAAxk${this.botId}_${n}_${digest.slice(0, 16)}`,
      file_unique_id: `AQAD${n}${digest.slice(16, 24)}`,
      kind: input.kind,
      data: input.data,
      file_size: input.data.length,
      file_path: `${folder}/file_${n}.${ext}`,
    };
    if (input.file_name !== undefined) file.file_name = input.file_name;
    if (input.mime_type !== undefined) file.mime_type = input.mime_type;
    if (input.source_url !== undefined) file.source_url = input.source_url;
    this.byId.set(file.file_id, file);
    this.byPath.set(file.file_path, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  byFilePath(path: string): StoredFile | undefined {
    return this.byPath.get(path);
  }

  all(): StoredFile[] {
    return [...this.byId.values()];
  }
}

/**
 * Downloads of customer media: getFile, then a streamed GET of
 * `${apiRoot}/file/bot<token>/<file_path>` (Bot API downloads stop at 20 MB).
 */
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Api } from 'grammy';
import {
  PermanentError,
  RetryableError,
  type AttachmentStream,
  type InboundBinaryAttachment,
} from '../../src/core/adapter';
import { telegramCall } from './telegram-errors';
import { TELEGRAM_LIMITS } from './telegram-limits';

export const TOO_LARGE = 'file too large for the Telegram Bot API (20 MB limit)';

const MIME_BY_EXTENSION: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.tgs': 'application/x-tgsticker',
  '.txt': 'text/plain',
};

const DEFAULT_MIME: Record<InboundBinaryAttachment['kind'], string> = {
  image: 'image/jpeg',
  audio: 'audio/mpeg',
  voice: 'audio/ogg',
  video: 'video/mp4',
  sticker: 'image/webp',
  file: 'application/octet-stream',
};

export async function openTelegramFile(
  api: Api,
  apiRoot: string,
  token: string,
  attachment: InboundBinaryAttachment,
): Promise<AttachmentStream> {
  if ((attachment.sizeBytes ?? 0) > TELEGRAM_LIMITS.maxDownloadBytes) {
    throw new PermanentError(TOO_LARGE, { code: 'file_too_big' });
  }
  const file = await telegramCall(() => api.getFile(attachment.ref));
  if (!file.file_path) throw new PermanentError('Telegram gave no download path for the file');
  if ((file.file_size ?? 0) > TELEGRAM_LIMITS.maxDownloadBytes) {
    throw new PermanentError(TOO_LARGE, { code: 'file_too_big' });
  }
  const url = `${apiRoot}/file/bot${token}/${file.file_path}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new RetryableError('Telegram file download failed', undefined, { cause: error });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    if (response.status >= 500 || response.status === 429) {
      throw new RetryableError(`Telegram file download failed with HTTP ${response.status}`);
    }
    throw new PermanentError(`Telegram has no such file (HTTP ${response.status})`);
  }
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const served = response.headers.get('content-type')?.split(';')[0].trim();
  const mimeType =
    attachment.mimeType ??
    (served && served !== 'application/octet-stream' ? served : undefined) ??
    MIME_BY_EXTENSION[extname(file.file_path).toLowerCase()] ??
    DEFAULT_MIME[attachment.kind];
  const opened: AttachmentStream = {
    stream: Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
    fileName: attachment.fileName ?? basename(file.file_path),
    mimeType,
  };
  const size =
    file.file_size ?? attachment.sizeBytes ?? (Number.isFinite(length) ? length : undefined);
  if (size !== undefined) opened.sizeBytes = size;
  return opened;
}

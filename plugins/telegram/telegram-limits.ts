/** Limits of the public Telegram Bot API (api.telegram.org). */
export const TELEGRAM_LIMITS = {
  /** sendMessage text, after entity parsing (UTF-16 code units). */
  maxTextLength: 4096,
  /** Media captions, after entity parsing. */
  maxCaptionLength: 1024,
  /** sendMediaGroup takes 2-10 items. */
  maxAlbumSize: 10,
  /** Multipart uploads of non-photo files. */
  maxUploadBytes: 50 * 1024 * 1024,
  /** Multipart uploads of photos; bigger images are sent as documents. */
  maxPhotoUploadBytes: 10 * 1024 * 1024,
  /** getFile refuses bigger files. */
  maxDownloadBytes: 20 * 1024 * 1024,
} as const;

export const DEFAULT_API_ROOT = 'https://api.telegram.org';

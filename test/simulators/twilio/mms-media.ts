/**
 * Twilio's rules for outbound MMS media (spec §2 `MediaUrl`; content types from Twilio's
 * "Accepted Content Types for Media"): which fetched files a message may carry, and the error
 * code the message fails with otherwise.
 */

/** Formatted for the handset by Twilio (resized/transcoded): up to 5 MB each. */
export const MMS_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/jpg',
  'image/gif',
  'image/png',
]);

/** Accepted as they are (not transcoded): up to 500 KB each. */
export const MMS_OTHER_TYPES: ReadonlySet<string> = new Set([
  'audio/basic',
  'audio/l24',
  'audio/mp4',
  'audio/mpeg',
  'audio/ogg',
  'audio/vnd.rn-realaudio',
  'audio/vnd.wave',
  'audio/3gpp',
  'audio/3gpp2',
  'audio/ac3',
  'audio/webm',
  'audio/amr-nb',
  'audio/amr',
  'video/mpeg',
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'video/3gpp',
  'video/3gpp2',
  'video/3gpp-tt',
  'video/h261',
  'video/h263',
  'video/h263-1998',
  'video/h263-2000',
  'video/h264',
  'image/bmp',
  'image/tiff',
  'text/vcard',
  'text/x-vcard',
  'text/csv',
  'text/rtf',
  'text/richtext',
  'text/calendar',
  'text/directory',
  'application/pdf',
  'application/vcard',
  'application/vnd.apple.pkpass',
]);

/** "5 MB" and "500 KB" read as decimal units (the stricter reading). */
export const MMS_MAX_TOTAL_BYTES = 5_000_000;
export const MMS_MAX_IMAGE_BYTES = 5_000_000;
export const MMS_MAX_OTHER_BYTES = 500_000;

/** Asynchronous failure codes of media messages. */
export const MEDIA_ERROR = {
  /** The MediaUrl could not be fetched (connection, timeout, non-2xx). */
  retrievalFailure: 11200,
  /** The Content-Type at the MediaUrl is not one Twilio accepts for MMS. */
  invalidContentType: 12300,
  /** A file or the message's media together exceed the MMS limits. */
  tooLarge: 30019,
  /** The fetch returned no bytes. */
  emptyMedia: 63019,
  /** The destination handset or carrier does not take MMS. */
  mmsNotSupported: 30011,
} as const;

/** `image/JPEG; charset=x` -> `image/jpeg`. */
export function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export interface FetchedMediaFile {
  contentType: string;
  size: number;
}

/** The error code for a set of fetched files, or null when Twilio would send them. */
export function mediaRuleViolation(files: FetchedMediaFile[]): number | null {
  let total = 0;
  for (const file of files) {
    const type = mediaTypeOf(file.contentType);
    if (file.size === 0) return MEDIA_ERROR.emptyMedia;
    const image = MMS_IMAGE_TYPES.has(type);
    if (!image && !MMS_OTHER_TYPES.has(type)) return MEDIA_ERROR.invalidContentType;
    if (file.size > (image ? MMS_MAX_IMAGE_BYTES : MMS_MAX_OTHER_BYTES))
      return MEDIA_ERROR.tooLarge;
    total += file.size;
  }
  return total > MMS_MAX_TOTAL_BYTES ? MEDIA_ERROR.tooLarge : null;
}

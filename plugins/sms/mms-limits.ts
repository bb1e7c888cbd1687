/**
 * What Twilio takes in an outbound MMS (spec §2 `MediaUrl`; content types from Twilio's "Accepted
 * Content Types for Media"). The manifest declares these to HubSpot; the sender enforces the
 * limits HubSpot cannot express (500 KB for non-images, 5 MB for all files together).
 */

/** Resized and transcoded by Twilio for the handset: up to 5 MB each. */
export const MMS_IMAGE_TYPES: readonly string[] = [
  'image/jpeg',
  'image/jpg',
  'image/gif',
  'image/png',
];

/** Accepted but sent as they are: up to 500 KB each (carriers drop larger ones). */
export const MMS_OTHER_TYPES: readonly string[] = [
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
];

export const MMS_MIME_TYPES: readonly string[] = [...MMS_IMAGE_TYPES, ...MMS_OTHER_TYPES];

export const MMS_MAX_MEDIA = 10;
/** Twilio's "5 MB" and "500 KB" read as decimal units, the stricter reading. */
export const MMS_MAX_TOTAL_BYTES = 5_000_000;
export const MMS_MAX_IMAGE_BYTES = 5_000_000;
export const MMS_MAX_OTHER_BYTES = 500_000;

/** `Image/JPEG; name=x` -> `image/jpeg`. */
export function baseMimeType(mimeType: string): string {
  return mimeType.split(';')[0].trim().toLowerCase();
}

export function isMmsImage(mimeType: string): boolean {
  return MMS_IMAGE_TYPES.includes(baseMimeType(mimeType));
}

export function isMmsType(mimeType: string): boolean {
  return MMS_MIME_TYPES.includes(baseMimeType(mimeType));
}

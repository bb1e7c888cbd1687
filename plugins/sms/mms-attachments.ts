/**
 * An agent's attachments as MMS media: every reason Twilio would refuse them, found before
 * anything is sent so that the agent sees it on the reply (FAILED) instead of a bare error code.
 */
import { PermanentError, type OutboundAttachment } from '../../src/core/adapter';
import { mmsDestinationSupported } from './mms-destination';
import {
  baseMimeType,
  isMmsImage,
  isMmsType,
  MMS_MAX_IMAGE_BYTES,
  MMS_MAX_MEDIA,
  MMS_MAX_OTHER_BYTES,
  MMS_MAX_TOTAL_BYTES,
} from './mms-limits';

export const NO_PUBLIC_URL = 'this attachment cannot be sent by MMS: no public URL';

/** The attachments' public URLs, in order, for Twilio to fetch; throws PermanentError. */
export function mmsMediaUrls(attachments: readonly OutboundAttachment[], to: string): string[] {
  if (attachments.length > MMS_MAX_MEDIA) {
    throw new PermanentError(
      `MMS takes at most ${MMS_MAX_MEDIA} attachments per message (this reply has ${attachments.length})`,
      { code: 'mms_too_many' },
    );
  }
  if (!mmsDestinationSupported(to)) {
    throw new PermanentError(
      `attachments cannot be sent to ${to}: Twilio sends MMS only to US and Canadian numbers (send the text alone)`,
      { code: 'mms_country' },
    );
  }
  let total = 0;
  const urls: string[] = [];
  for (const attachment of attachments) {
    const name = attachment.fileName;
    if (!isMmsType(attachment.mimeType)) {
      throw new PermanentError(
        `"${name}" cannot be sent by MMS: Twilio does not accept ${baseMimeType(attachment.mimeType)} files`,
        { code: 'mms_type' },
      );
    }
    const size = attachment.sizeBytes;
    if (size !== undefined) {
      const image = isMmsImage(attachment.mimeType);
      const limit = image ? MMS_MAX_IMAGE_BYTES : MMS_MAX_OTHER_BYTES;
      if (size > limit) {
        const which = image ? 'images' : 'files other than JPEG, PNG and GIF images';
        throw new PermanentError(
          `"${name}" is too large for MMS (${decimalSize(size)}; ${which} up to ${decimalSize(limit)})`,
          { code: 'mms_too_large' },
        );
      }
      total += size;
    }
    if (!attachment.publicUrl) {
      throw new PermanentError(`${NO_PUBLIC_URL} (${name})`, { code: 'mms_no_public_url' });
    }
    urls.push(attachment.publicUrl);
  }
  if (total > MMS_MAX_TOTAL_BYTES) {
    throw new PermanentError(
      `the attachments are too large for one MMS (${decimalSize(total)} together; up to ${decimalSize(MMS_MAX_TOTAL_BYTES)})`,
      { code: 'mms_too_large' },
    );
  }
  return urls;
}

/**
 * 5000000 -> "5 MB", 512000 -> "512 KB" (decimal units, as Twilio states its limits). Rounded up,
 * so that a size just over a limit never reads as the limit itself.
 */
export function decimalSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${tenthsUp(bytes, 1_000_000)} MB`;
  if (bytes >= 1000) return `${tenthsUp(bytes, 1000)} KB`;
  return `${bytes} bytes`;
}

/** bytes / unit rounded up to one decimal, counted in whole tenths (no float drift). */
function tenthsUp(bytes: number, unit: number): string {
  const tenths = Math.ceil(bytes / (unit / 10));
  return tenths % 10 === 0 ? String(tenths / 10) : `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

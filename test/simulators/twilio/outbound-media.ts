/**
 * What Twilio does with an outbound message's MediaUrls before it hands the MMS to the carrier:
 * fetch each one, keep the bytes and the served content type on the Media subresource, and
 * decide whether the message fails (11200 unreachable, 12300 content type, 30019 too large).
 */
import { fetchMediaUrl } from './media-fetch';
import { MEDIA_ERROR, MMS_MAX_TOTAL_BYTES, mediaRuleViolation, mediaTypeOf } from './mms-media';
import type { MessageRecord } from './types';

export interface MediaFetchOptions {
  timeoutMs: number;
  signal: AbortSignal;
}

/** Fetches the message's outbound media in order; resolves to the failure code, or null. */
export async function fetchOutboundMedia(
  message: MessageRecord,
  options: MediaFetchOptions,
): Promise<number | null> {
  const files: Array<{ contentType: string; size: number }> = [];
  for (const item of message.media) {
    if (item.data || !item.sourceUrl) continue;
    const result = await fetchMediaUrl(item.sourceUrl, {
      timeoutMs: options.timeoutMs,
      // One byte over the largest total tells "too large" without reading everything.
      maxBytes: MMS_MAX_TOTAL_BYTES + 1,
      signal: options.signal,
    });
    if (!result.ok) {
      item.fetchError = result.error;
      return MEDIA_ERROR.retrievalFailure;
    }
    if (result.truncated) {
      item.fetchError = `larger than ${MMS_MAX_TOTAL_BYTES} bytes`;
      return MEDIA_ERROR.tooLarge;
    }
    const contentType = mediaTypeOf(result.contentType);
    if (!contentType) {
      // Twilio lists a missing Content-Type among the causes of 11200.
      item.fetchError = 'no Content-Type header';
      return MEDIA_ERROR.retrievalFailure;
    }
    item.data = result.data;
    item.contentType = contentType;
    files.push({ contentType: item.contentType, size: result.data.length });
  }
  return mediaRuleViolation(files);
}

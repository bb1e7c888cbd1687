/**
 * Downloads inbound MMS media. Twilio protects media URLs with HTTP Basic auth and answers with a
 * redirect to short-lived storage: the credentials go to the Twilio API host only, redirects are
 * followed without them, and the bytes are streamed.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PermanentError, RetryableError } from '../../../../src/core/adapter';
import type { OpenedMedia } from '../sms-provider';

const MAX_REDIRECTS = 3;
const MEDIA_PATH =
  /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\/[A-Z]{2}[0-9a-fA-F]{32}\/Media\/ME[0-9a-fA-F]{32}$/;

/** True when `ref` is a media URL of this account on the API host. */
export function isTwilioMediaUrl(ref: string, apiBaseUrl: string, accountSid: string): boolean {
  let url: URL;
  let base: URL;
  try {
    url = new URL(ref);
    base = new URL(apiBaseUrl);
  } catch {
    return false;
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !url.pathname.startsWith(basePath)) return false;
  const match = MEDIA_PATH.exec(url.pathname.slice(basePath.length));
  return match !== null && match[1] === accountSid && url.search === '';
}

export async function fetchTwilioMedia(
  ref: string,
  apiBaseUrl: string,
  accountSid: string,
  authToken: string,
): Promise<OpenedMedia> {
  if (!isTwilioMediaUrl(ref, apiBaseUrl, accountSid)) {
    throw new PermanentError('not a Twilio media URL of this account', { code: 'unknown_media' });
  }
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const apiOrigin = new URL(apiBaseUrl).origin;
  let url = ref;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> =
      new URL(url).origin === apiOrigin ? { authorization: auth } : {};
    const response = await request(url, headers);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url).toString();
      continue;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw mediaError(response.status);
    }
    const length = Number(response.headers.get('content-length'));
    const mimeType = response.headers.get('content-type')?.split(';')[0].trim();
    const opened: OpenedMedia = {
      stream: Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
    };
    if (mimeType) opened.mimeType = mimeType;
    if (Number.isFinite(length) && length > 0) opened.sizeBytes = length;
    return opened;
  }
  throw new PermanentError('Twilio media: too many redirects');
}

async function request(url: string, headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, { headers, redirect: 'manual' });
  } catch (error) {
    throw new RetryableError(`Twilio media download failed: ${String(error)}`, undefined, {
      cause: error,
    });
  }
}

function mediaError(status: number): Error {
  if (status === 429 || status >= 500) {
    return new RetryableError(`Twilio media download failed (HTTP ${status})`);
  }
  if (status === 404 || status === 403 || status === 410) {
    return new PermanentError('the media is gone from Twilio (deleted or expired)', {
      code: String(status),
    });
  }
  return new PermanentError(`Twilio refused the media download (HTTP ${status})`, {
    code: String(status),
  });
}

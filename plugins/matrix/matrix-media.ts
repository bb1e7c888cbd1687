/**
 * Media repository calls: upload (`/_matrix/media/v3/upload`) and authenticated download
 * (`/_matrix/client/v1/media/download`, spec v1.11; the old unauthenticated path is frozen).
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PermanentError, type AttachmentStream } from '../../src/core/adapter';
import { MatrixApiError, toGatewayError } from './matrix-errors';
import { seg, type MatrixHttpClient } from './matrix-http';

const MXC = /^mxc:\/\/([A-Za-z0-9.:[\]-]+)\/([A-Za-z0-9_-]+)$/;

export async function uploadMedia(
  client: MatrixHttpClient,
  bytes: Buffer,
  fileName: string,
  mimeType: string,
): Promise<string> {
  try {
    const result = await client.json<{ content_uri?: unknown }>({
      method: 'POST',
      path: '/_matrix/media/v3/upload',
      query: { filename: fileName },
      body: bytes,
      contentType: mimeType,
    });
    if (typeof result.content_uri !== 'string') throw new Error('upload gave no content_uri');
    return result.content_uri;
  } catch (error) {
    throw toGatewayError(error, `upload of ${fileName}`);
  }
}

export interface DownloadHints {
  fileName?: string;
  mimeType?: string;
}

/** Streams the bytes of an `mxc://` URI; unknown or malformed URIs fail permanently. */
export async function downloadMedia(
  client: MatrixHttpClient,
  mxc: string,
  hints: DownloadHints,
): Promise<AttachmentStream> {
  const match = MXC.exec(mxc);
  if (!match) throw new PermanentError(`Not a Matrix content URI: ${mxc}`);
  let response: Response;
  try {
    response = await client.raw({
      path: `/_matrix/client/v1/media/download/${seg(match[1])}/${seg(match[2])}`,
    });
  } catch (error) {
    if (error instanceof MatrixApiError && error.status === 404) {
      throw new PermanentError(`The homeserver no longer has ${mxc}`, { code: error.errcode });
    }
    throw toGatewayError(error, `download of ${mxc}`);
  }
  if (!response.body) throw new PermanentError(`The homeserver sent no bytes for ${mxc}`);
  const length = Number(response.headers.get('content-length') ?? NaN);
  return {
    stream: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    fileName: hints.fileName || fileNameOf(response.headers.get('content-disposition')) || match[2],
    mimeType:
      hints.mimeType ||
      (response.headers.get('content-type') ?? '').split(';')[0].trim() ||
      'application/octet-stream',
    ...(Number.isInteger(length) && length >= 0 ? { sizeBytes: length } : {}),
  };
}

function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      return undefined;
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1].trim();
}

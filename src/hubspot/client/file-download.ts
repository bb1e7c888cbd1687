import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PermanentError } from '../../core/adapter/errors';
import type { AccessTokenProvider } from './access-token-provider';
import { mapErrorResponse, mapTransportError } from './error-mapping';
import type { HubSpotHttp } from './hubspot-http';

export interface DownloadedFile {
  /** The bytes, streamed; consume or destroy it. */
  stream: Readable;
  contentType?: string;
  contentLength?: number;
  /** From Content-Disposition, when the server sent one. */
  fileName?: string;
}

export interface DownloadOptions {
  /** Fail (PermanentError) when the file is larger than this. */
  maxBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Signed URLs carry their own authorization: never add a token to them. */
  signed?: boolean;
}

export interface DownloadPolicy {
  /** Host suffixes that get the portal's token (besides the API host itself). */
  hubspotHostSuffixes: string[];
  maxRedirects: number;
  timeoutMs: number;
}

export const DEFAULT_DOWNLOAD_POLICY: DownloadPolicy = {
  hubspotHostSuffixes: ['hubapi.com', 'hubspot.com'],
  maxRedirects: 5,
  timeoutMs: 60_000,
};

function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1].trim());
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1];
}

/**
 * Downloads files HubSpot points to (outgoing agent attachments) as streams. The portal's
 * token is sent only to HubSpot hosts, never to a signed URL or a third-party host, and redirects
 * are followed by hand so that a redirect to another host does not carry the token along.
 */
export class FileDownloader {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly tokens: AccessTokenProvider,
    private readonly policy: DownloadPolicy = DEFAULT_DOWNLOAD_POLICY,
  ) {}

  /** True when a URL's host is HubSpot's (API host or a configured HubSpot domain). */
  isHubSpotHost(url: URL): boolean {
    if (url.host === this.http.baseUrl.host) return true;
    const host = url.hostname.toLowerCase();
    return this.policy.hubspotHostSuffixes.some((s) => host === s || host.endsWith(`.${s}`));
  }

  async download(
    portalId: string,
    url: string,
    options: DownloadOptions = {},
  ): Promise<DownloadedFile> {
    let target = new URL(url);
    for (let hop = 0; hop <= this.policy.maxRedirects; hop++) {
      const response = await this.fetchOnce(portalId, target, options);
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get('location');
        await response.body?.cancel().catch(() => undefined);
        if (!location) throw new PermanentError(`redirect without Location from ${target.host}`);
        target = new URL(location, target);
        continue;
      }
      return this.toDownloaded(response, options.maxBytes);
    }
    throw new PermanentError(`too many redirects downloading a HubSpot file from ${url}`);
  }

  private async fetchOnce(portalId: string, url: URL, options: DownloadOptions): Promise<Response> {
    const api = this.http.baseUrl;
    const authorized = !options.signed && this.isHubSpotHost(url);
    if (authorized && url.origin === api.origin) {
      // API host: rate limited, 401 -> refresh and retry, errors mapped like every API call.
      return this.http.raw({
        method: 'GET',
        path: url.pathname.slice(api.pathname.replace(/\/+$/, '').length) + url.search,
        auth: { type: 'portal', portalId },
        timeoutMs: options.timeoutMs ?? this.policy.timeoutMs,
        signal: options.signal,
        allowRedirect: true,
      });
    }
    const headers: Record<string, string> = {};
    if (authorized) headers.authorization = `Bearer ${await this.tokens.getAccessToken(portalId)}`;
    const timer = new AbortController();
    const timeout = setTimeout(
      () => timer.abort(new Error('timeout')),
      options.timeoutMs ?? this.policy.timeoutMs,
    );
    const signal = options.signal ? AbortSignal.any([timer.signal, options.signal]) : timer.signal;
    const operation = `GET ${url.origin}${url.pathname}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal, redirect: 'manual' });
    } catch (error) {
      throw mapTransportError(
        error,
        operation,
        timer.signal.aborted,
        options.signal?.aborted ?? false,
      );
    } finally {
      clearTimeout(timeout);
    }
    if (response.status >= 400) {
      const text = await response.text().catch(() => '');
      throw mapErrorResponse(response.status, response.headers, text, operation);
    }
    return response;
  }

  private toDownloaded(response: Response, maxBytes?: number): DownloadedFile {
    const lengthHeader = response.headers.get('content-length');
    const contentLength = lengthHeader !== null ? Number(lengthHeader) : undefined;
    if (maxBytes !== undefined && contentLength !== undefined && contentLength > maxBytes) {
      void response.body?.cancel().catch(() => undefined);
      throw new PermanentError(`file of ${contentLength} bytes exceeds the limit of ${maxBytes}`);
    }
    const source = response.body
      ? Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>)
      : Readable.from([]);
    let seen = 0;
    const stream =
      maxBytes === undefined
        ? source
        : source.pipe(
            new Transform({
              transform(chunk: Buffer, _encoding, callback) {
                seen += chunk.length;
                if (seen > maxBytes) {
                  callback(new PermanentError(`file exceeds the limit of ${maxBytes} bytes`));
                } else callback(null, chunk);
              },
            }),
          );
    if (stream !== source) source.on('error', (error) => stream.destroy(error));
    return {
      stream,
      contentType: response.headers.get('content-type') ?? undefined,
      ...(contentLength !== undefined && Number.isFinite(contentLength) && { contentLength }),
      fileName: fileNameOf(response.headers.get('content-disposition')),
    };
  }
}

import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StreamRequestInit {
  method: string;
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
  signal: AbortSignal;
}

/**
 * Sends a streamed request body with node:http and answers a fetch `Response`. Used for uploads:
 * fetch (undici) copies every chunk of an async-iterable body into a new Uint8Array, which on a
 * large file leaves tens of megabytes of garbage behind; here chunks go straight to the socket
 * with the socket's own backpressure (`pipeline`), so memory stays flat whatever the file size.
 */
export function streamRequest(url: URL, init: StreamRequestInit): Promise<Response> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const request = transport.request(url, {
      method: init.method,
      headers: init.headers,
      signal: init.signal,
    });
    request.once('response', (incoming) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const status = incoming.statusCode ?? 500;
      const body =
        status === 204 || status === 304
          ? null
          : (Readable.toWeb(incoming) as unknown as globalThis.ReadableStream<Uint8Array>);
      resolve(new Response(body, { status, headers }));
    });
    request.once('error', reject);
    pipeline(Readable.from(init.body, { objectMode: false }), request).catch((error: unknown) => {
      request.destroy(error instanceof Error ? error : new Error(String(error)));
      reject(error);
    });
  });
}

/**
 * Fetches an outbound MediaUrl the way Twilio does before it sends an MMS: a plain GET from
 * Twilio's side (no credentials), following redirects, within a timeout, reading at most a
 * bounded number of bytes. No keep-alive sockets are left behind.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type MediaFetchResult =
  | { ok: true; contentType: string | null; data: Buffer; truncated: boolean }
  | { ok: false; error: string };

const MAX_REDIRECTS = 5;

export async function fetchMediaUrl(
  url: string,
  options: { timeoutMs: number; maxBytes: number; signal: AbortSignal },
): Promise<MediaFetchResult> {
  let target = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: IncomingMessage;
    try {
      response = await get(target, options.timeoutMs, options.signal);
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.destroy();
      target = new URL(location, target).toString();
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      return { ok: false, error: `HTTP ${status} from ${target}` };
    }
    try {
      const { data, truncated } = await readBounded(response, options.maxBytes);
      return { ok: true, contentType: response.headers['content-type'] ?? null, data, truncated };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
  return { ok: false, error: `more than ${MAX_REDIRECTS} redirects` };
}

function get(url: string, timeoutMs: number, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new Error(`unsupported URL scheme ${target.protocol}`));
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'GET',
        headers: { 'User-Agent': 'TwilioProxy/1.1', Connection: 'close' },
        agent: false,
        signal,
      },
      resolve,
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Reads up to maxBytes; stops (truncated) as soon as the body is longer. */
function readBounded(
  response: IncomingMessage,
  maxBytes: number,
): Promise<{ data: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        resolve({ data: Buffer.concat(chunks), truncated: true });
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve({ data: Buffer.concat(chunks), truncated: false }));
    response.on('error', reject);
  });
}

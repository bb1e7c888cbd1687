import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpResult {
  status: number;
  contentType: string | null;
  body: string;
}

/** One HTTP request without connection reuse (no keep-alive sockets left behind). */
export function sendHttp(
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | null,
  timeoutMs: number,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const allHeaders: Record<string, string> = { ...headers, Connection: 'close' };
    if (body !== null) allHeaders['Content-Length'] = String(Buffer.byteLength(body));
    const req = send(target, { method, headers: allHeaders, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? null,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

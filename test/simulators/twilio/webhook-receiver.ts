import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';

/**
 * A recording HTTP endpoint on loopback that plays the gateway's side in tests: webhooks, and the
 * files behind outbound MediaUrls (a reply with `bytes`).
 */

export interface ReceivedRequest {
  method: string;
  /** Path + query as received. */
  url: string;
  headers: Record<string, string>;
  rawBody: string;
  params: Record<string, string>;
}

export interface ReceiverReply {
  status?: number;
  contentType?: string;
  body?: string;
  /** Binary content (media files); takes precedence over `body`. */
  bytes?: Buffer;
}

export interface WebhookReceiver {
  baseUrl: string;
  received: ReceivedRequest[];
  /** Configure the answer for a path (default: 200 text/xml `<Response/>`). */
  reply(path: string, answer: ReceiverReply): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

function headerMap(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const replies = new Map<string, ReceiverReply>();
  const app = express();
  app.use(express.text({ type: () => true }));
  app.use((req, res) => {
    const rawBody = typeof req.body === 'string' ? req.body : '';
    const params: Record<string, string> = {};
    const source =
      req.method === 'GET'
        ? new URL(req.originalUrl, 'http://x').searchParams
        : new URLSearchParams(rawBody);
    for (const [k, v] of source) params[k] = v;
    received.push({
      method: req.method,
      url: req.originalUrl,
      headers: headerMap(req.headers),
      rawBody,
      params,
    });
    const answer = replies.get(req.path) ?? {};
    res
      .status(answer.status ?? 200)
      .type(answer.contentType ?? 'text/xml')
      .send(answer.bytes ?? answer.body ?? '<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    received,
    reply: (path, answer) => replies.set(path, answer),
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} webhook requests, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

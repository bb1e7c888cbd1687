/**
 * Minimal node:http plumbing for the Echo platform server: a route table, body reading and JSON
 * answers in the platform's error envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EchoPlatformError, badRequest, notFound } from './echo-platform-error';

export interface EchoHttpRequest {
  method: string;
  params: string[];
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The body parsed as a JSON object ({} when empty). */
  json(): Record<string, unknown>;
  bearerToken(): string;
}

export type EchoHttpAnswer =
  | { status?: number; json: unknown }
  | { status?: number; bytes: Buffer; contentType: string; fileName?: string };

export type EchoRoute = [
  method: string,
  path: RegExp,
  handler: (request: EchoHttpRequest) => EchoHttpAnswer | Promise<EchoHttpAnswer>,
];

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function serveEchoRoute(
  routes: EchoRoute[],
  incoming: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const path = new URL(incoming.url ?? '/', 'http://echo.invalid').pathname;
    const route = routes
      .map(([method, pattern, handler]) => ({ method, match: pattern.exec(path), handler }))
      .find(({ method, match }) => match && method === incoming.method);
    if (!route || !route.match)
      throw notFound('not_found', `no route for ${incoming.method} ${path}`);
    const body = await readBody(incoming);
    const answer = await route.handler({
      method: incoming.method ?? 'GET',
      params: route.match.slice(1).map(decodeURIComponent),
      headers: incoming.headers,
      body,
      json: () => parseJson(body),
      bearerToken: () => (incoming.headers.authorization ?? '').replace(/^Bearer\s+/i, ''),
    });
    writeAnswer(response, answer);
  } catch (error) {
    const platformError =
      error instanceof EchoPlatformError
        ? error
        : new EchoPlatformError(500, 'server_error', String(error));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (platformError.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(platformError.retryAfterSeconds);
    }
    response.writeHead(platformError.status, headers).end(JSON.stringify(platformError.toBody()));
  }
}

function writeAnswer(response: ServerResponse, answer: EchoHttpAnswer): void {
  if ('json' in answer) {
    response
      .writeHead(answer.status ?? 200, { 'content-type': 'application/json' })
      .end(JSON.stringify(answer.json ?? { ok: true }));
    return;
  }
  const headers: Record<string, string> = {
    'content-type': answer.contentType,
    'content-length': String(answer.bytes.length),
  };
  if (answer.fileName) {
    headers['content-disposition'] =
      `attachment; filename*=UTF-8''${encodeURIComponent(answer.fileName)}`;
  }
  response.writeHead(answer.status ?? 200, headers).end(answer.bytes);
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new EchoPlatformError(413, 'too_large', 'request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // answered below
  }
  throw badRequest('body must be a JSON object');
}

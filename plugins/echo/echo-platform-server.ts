/**
 * The Echo platform on HTTP (node:http, no framework), so that a gateway in another process can
 * reach it. `/bot/*` is the API the adapter uses (Bearer token); `/control/*` is for tests and
 * demos (customers' actions, fault injection, what was sent). See README.md for the routes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EchoPlatform, type CustomerMessageInput, type EchoPlatformOptions } from './echo-platform';
import { badRequest } from './echo-platform-error';
import { serveEchoRoute, type EchoHttpRequest, type EchoRoute } from './echo-platform-http';
import type { EchoFault, EchoSendRequest } from './echo-platform.types';

export class EchoPlatformServer {
  readonly platform: EchoPlatform;
  private server?: Server;
  private readonly routes: EchoRoute[];

  constructor(options: EchoPlatformOptions & { platform?: EchoPlatform } = {}) {
    this.platform = options.platform ?? new EchoPlatform(options);
    this.routes = echoRoutes(this.platform);
  }

  /** Listens on 127.0.0.1 (port 0: any free port) and resolves the base URL. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((request, response) => {
      void serveEchoRoute(this.routes, request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('EchoPlatformServer is not started');
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const ok = (json: unknown = { ok: true }) => ({ json });

function echoRoutes(platform: EchoPlatform): EchoRoute[] {
  return [
    ['GET', /^\/bot\/me$/, (r) => ok(platform.me(r.bearerToken()))],
    ['PUT', /^\/bot\/webhook$/, (r) => ok(setWebhook(platform, r))],
    ['DELETE', /^\/bot\/webhook$/, (r) => ok(platform.deleteWebhook(r.bearerToken()))],
    ['GET', /^\/bot\/webhook$/, (r) => ok(platform.webhookInfo(r.bearerToken()))],
    ['POST', /^\/bot\/files$/, (r) => ok(uploadFile(platform, r))],
    [
      'GET',
      /^\/bot\/files\/([^/]+)$/,
      (r) => fileAnswer(platform.downloadFile(r.bearerToken(), r.params[0])),
    ],
    [
      'POST',
      /^\/bot\/messages$/,
      (r) => ok(platform.sendMessage(r.bearerToken(), r.json() as unknown as EchoSendRequest)),
    ],
    ['GET', /^\/control\/health$/, () => ok()],
    [
      'POST',
      /^\/control\/accounts$/,
      (r) => ok(platform.createAccount(r.json() as { name?: string; token?: string })),
    ],
    ['DELETE', /^\/control\/accounts\/([^/]+)$/, (r) => ok(platform.revokeAccount(r.params[0]))],
    [
      'POST',
      /^\/control\/accounts\/([^/]+)\/customer\/messages$/,
      async (r) => ok(await platform.customerSends(r.params[0], r.json() as CustomerMessageInput)),
    ],
    [
      'POST',
      /^\/control\/accounts\/([^/]+)\/customer\/edits$/,
      async (r) => ok(await platform.customerEdits(r.params[0], requireFields(r, 'message_id'))),
    ],
    [
      'POST',
      /^\/control\/accounts\/([^/]+)\/customer\/reads$/,
      async (r) =>
        ok(
          await platform.customerReads(
            r.params[0],
            requireFields(r, 'chat_id', 'up_to_message_id'),
          ),
        ),
    ],
    [
      'POST',
      /^\/control\/accounts\/([^/]+)\/faults$/,
      (r) => ok(platform.injectFault(r.params[0], r.json() as unknown as EchoFault)),
    ],
    [
      'POST',
      /^\/control\/accounts\/([^/]+)\/redeliver$/,
      async (r) => ok({ delivered: await platform.redeliverLast(r.params[0]) }),
    ],
    [
      'POST',
      /^\/control\/accounts\/([^/]+)\/flush$/,
      async (r) => ok({ delivered: await platform.flush(r.params[0]) }),
    ],
    ['GET', /^\/control\/accounts\/([^/]+)\/sent$/, (r) => ok(platform.sentMessages(r.params[0]))],
    [
      'GET',
      /^\/control\/accounts\/([^/]+)\/deliveries$/,
      (r) => ok(platform.deliveries(r.params[0])),
    ],
    ['GET', /^\/control\/files\/([^/]+)$/, (r) => fileAnswer(platform.file(r.params[0]))],
  ];
}

function setWebhook(platform: EchoPlatform, request: EchoHttpRequest) {
  const { url, secret } = requireFields(request, 'url', 'secret');
  platform.setWebhook(request.bearerToken(), { url, secret });
  return { ok: true };
}

function uploadFile(platform: EchoPlatform, request: EchoHttpRequest) {
  const fileName = decodeURIComponent(String(request.headers['x-file-name'] ?? 'file'));
  const mimeType = String(request.headers['content-type'] ?? 'application/octet-stream');
  return platform.uploadFile(request.bearerToken(), request.body, fileName, mimeType);
}

function fileAnswer(file: { bytes: Buffer; mimeType: string; fileName: string }) {
  return { bytes: file.bytes, contentType: file.mimeType, fileName: file.fileName };
}

function requireFields<K extends string>(
  request: EchoHttpRequest,
  ...keys: K[]
): Record<K, string> {
  const body = request.json();
  for (const key of keys) {
    if (typeof body[key] !== 'string') throw badRequest(`${key} is required`);
  }
  return body as Record<K, string>;
}

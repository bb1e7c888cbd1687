/**
 * Stands in for the gateway's webhook endpoint: an HTTP server on loopback that routes
 * `/adapters/<adapterId>/<accountId>[/sub/path]` to the adapter's handleWebhook, as the gateway
 * does, and records every request and answer. Like the gateway, it routes webhooks of active
 * accounts only: one marked stopped (deactivated) is answered 404 without the adapter.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AccountContext,
  AdapterWebhookRequest,
  AdapterWebhookResponse,
  ChannelAdapter,
} from '../../src/core/adapter';

export interface RelayedWebhook {
  accountId: string;
  request: AdapterWebhookRequest;
  response: AdapterWebhookResponse;
}

export class WebhookRelay {
  readonly received: RelayedWebhook[] = [];
  private readonly accounts = new Map<string, AccountContext>();
  private readonly stopped = new Set<string>();
  private server?: Server;

  constructor(
    private readonly adapterId: string,
    private readonly adapter: () => ChannelAdapter | undefined,
  ) {}

  async start(): Promise<string> {
    const server = createServer((incoming, response) => {
      void this.handle(incoming).then(
        (answer) => {
          const body = answer.body;
          const text = typeof body === 'string' || body === undefined ? body : JSON.stringify(body);
          const contentType =
            answer.contentType ?? (typeof body === 'object' ? 'application/json' : 'text/plain');
          response.writeHead(answer.status, { 'content-type': contentType }).end(text ?? '');
        },
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('WebhookRelay is not started');
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  webhookUrl(accountId: string): string {
    return `${this.url}/adapters/${this.adapterId}/${encodeURIComponent(accountId)}`;
  }

  register(account: AccountContext): void {
    this.accounts.set(account.accountId, account);
    this.stopped.delete(account.accountId);
  }

  /** The account was stopped (deactivated): its webhooks no longer reach the adapter. */
  markStopped(accountId: string): void {
    this.stopped.add(accountId);
  }

  /** The account is active again. */
  markActive(accountId: string): void {
    this.stopped.delete(accountId);
  }

  /** The last request the adapter answered 2xx for this account. */
  lastAccepted(accountId: string): AdapterWebhookRequest | undefined {
    return [...this.received]
      .reverse()
      .find((r) => r.accountId === accountId && r.response.status < 300)?.request;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(incoming: IncomingMessage): Promise<AdapterWebhookResponse> {
    const url = new URL(incoming.url ?? '/', this.url);
    const prefix = `/adapters/${this.adapterId}/`;
    if (!url.pathname.startsWith(prefix)) return { status: 404 };
    const [encodedId, ...rest] = url.pathname.slice(prefix.length).split('/');
    const accountId = decodeURIComponent(encodedId);
    const account = this.accounts.get(accountId);
    const adapter = this.adapter();
    const request: AdapterWebhookRequest = {
      method: incoming.method ?? 'GET',
      subPath: rest.length ? `/${rest.join('/')}` : '',
      publicUrl: url.toString(),
      headers: flattenHeaders(incoming.headers),
      query: Object.fromEntries(url.searchParams),
      rawBody: await readBody(incoming),
    };
    const response: AdapterWebhookResponse =
      account && !this.stopped.has(accountId) && adapter?.handleWebhook
        ? await adapter.handleWebhook(account, request)
        : { status: 404, body: 'no webhook handler for this account' };
    this.received.push({ accountId, request, response });
    return response;
  }
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name.toLowerCase(),
      Array.isArray(value) ? value.join(', ') : value,
    ]),
  );
}

async function readBody(incoming: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

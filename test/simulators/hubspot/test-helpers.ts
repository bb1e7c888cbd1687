import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubSpotSimulator } from './server';

/** Helpers for the simulator's own specs (and gateway tests that want them). */

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Status codes to answer, consumed in order; afterwards `defaultStatus`. */
  script: number[];
  defaultStatus: number;
  /** Custom handler (e.g. a fake gateway connect page); return true when it answered. */
  handler?: (req: ReceivedRequest, res: http.ServerResponse) => boolean | Promise<boolean>;
  close(): Promise<void>;
}

/** A loopback HTTP server that records requests (raw bodies) and answers scripted statuses. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    script: [],
    defaultStatus: 200,
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      receiver.received.push(r);
      void Promise.resolve(receiver.handler ? receiver.handler(r, res) : false).then((handled) => {
        if (handled) return;
        res.statusCode = receiver.script.shift() ?? receiver.defaultStatus;
        res.end('ok');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(
  sim: HubSpotSimulator,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.baseUrl}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

/** Narrow an unknown JSON body to a record for assertions. */
export function rec(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`not an object: ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}

export const DEFAULT_CAPABILITIES = {
  deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID', 'HS_EMAIL_ADDRESS', 'HS_PHONE_NUMBER'],
  threadingModel: 'INTEGRATION_THREAD_ID',
  richText: ['HYPERLINK', 'BOLD', 'ITALIC'],
  allowInlineImages: false,
  allowOutgoingMessages: true,
  allowConversationStart: false,
  allowMultipleRecipients: false,
  outgoingAttachmentTypes: ['FILE'],
  allowedFileAttachmentMimeTypes: ['image/*', 'application/pdf'],
  maxFileAttachmentCount: 2,
  maxFileAttachmentSizeBytes: 10_000_000,
  maxTotalFileAttachmentSizeBytes: 10_000_000,
};

export interface Fixture {
  portalId: string;
  token: string;
  refreshToken: string;
  channelId: string;
  inboxId: string;
  helpDeskId: string;
  accountId: string;
}

/** Portal with tokens, a channel (via the developer API) and an account (via the Bearer API). */
export async function setupChannel(
  sim: HubSpotSimulator,
  opts: {
    webhookUrl?: string;
    capabilities?: Record<string, unknown>;
    helpDesk?: boolean;
    connectUrl?: string;
  } = {},
): Promise<Fixture> {
  const portal = sim.control.createPortal({ issueTokens: true });
  const channel = await call(
    sim,
    'POST',
    `/conversations/v3/custom-channels?hapikey=${sim.app.developerApiKey}&appId=${sim.app.appId}`,
    {
      body: {
        name: 'Test Chat',
        webhookUrl: opts.webhookUrl ?? 'http://127.0.0.1:9/unused',
        channelAccountConnectionRedirectUrl: opts.connectUrl ?? 'http://127.0.0.1:9/connect',
        capabilities: opts.capabilities ?? DEFAULT_CAPABILITIES,
      },
    },
  );
  if (channel.status !== 201)
    throw new Error(`channel create failed: ${JSON.stringify(channel.body)}`);
  const channelId = String(rec(channel.body).id);
  const inbox = portal.inboxes.find((i) => i.type === 'INBOX');
  const helpDesk = portal.inboxes.find((i) => i.type === 'HELP_DESK');
  if (!inbox || !helpDesk) throw new Error('portal without inboxes');
  const account = await call(
    sim,
    'POST',
    `/conversations/v3/custom-channels/${channelId}/channel-accounts`,
    {
      token: portal.accessToken,
      body: {
        inboxId: opts.helpDesk ? helpDesk.id : inbox.id,
        name: 'Support bot',
        authorized: true,
        deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot-1' },
      },
    },
  );
  if (account.status !== 201)
    throw new Error(`account create failed: ${JSON.stringify(account.body)}`);
  return {
    portalId: portal.portalId,
    token: portal.accessToken ?? '',
    refreshToken: portal.refreshToken ?? '',
    channelId,
    inboxId: inbox.id,
    helpDeskId: helpDesk.id,
    accountId: String(rec(account.body).id),
  };
}

export function incoming(
  f: Fixture,
  extra: Record<string, unknown> = {},
  sender: { type: string; value: string } = { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'user-1' },
): Record<string, unknown> {
  return {
    channelAccountId: f.accountId,
    messageDirection: 'INCOMING',
    text: 'Hello',
    senders: [{ deliveryIdentifier: sender, name: 'Carla Customer' }],
    recipients: [{ deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: 'bot-1' } }],
    timestamp: new Date().toISOString(),
    attachments: [],
    integrationThreadId: 'chat-1',
    ...extra,
  };
}

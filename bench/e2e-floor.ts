/**
 * The floor of bench:e2e: the least a forwarder can do. A plain node:http server receives the
 * Echo platform's webhook, checks its HMAC signature, makes the same HubSpot publish request the
 * gateway makes (POST /conversations/v3/custom-channels/{channelId}/messages with a bearer token,
 * over the same global fetch) and answers the webhook when HubSpot answered. No queue, no
 * database, no retries: whatever the gateway adds on top of this is its own cost.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EchoUpdate } from '../plugins/echo/echo-platform.types';
import { ECHO_SIGNATURE_HEADER } from '../plugins/echo/echo-platform.types';
import { verifyEchoWebhook } from '../plugins/echo/echo-webhook-signature';

/** One Echo account forwarded to one HubSpot channel account. */
export interface FloorAccount {
  echoAccountId: string;
  /** The Echo bot id: the HubSpot account's delivery identifier. */
  botId: string;
  webhookSecret: string;
  hubspotChannelAccountId: string;
}

export interface FloorOptions {
  hubspotBaseUrl: string;
  channelId: string;
  accessToken: string;
}

export class FloorForwarder {
  private server?: Server;
  private readonly accounts = new Map<string, FloorAccount>();
  /** Publishes HubSpot did not accept (the webhook then answered 502). */
  rejected = 0;

  constructor(private readonly options: FloorOptions) {}

  add(account: FloorAccount): void {
    this.accounts.set(account.echoAccountId, account);
  }

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  webhookUrl(echoAccountId: string): string {
    return `${this.url}/echo/${echoAccountId}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const account = this.accounts.get((request.url ?? '').replace(/^\/echo\//, ''));
    const signature = request.headers[ECHO_SIGNATURE_HEADER];
    if (
      !account ||
      !verifyEchoWebhook(
        account.webhookSecret,
        raw,
        typeof signature === 'string' ? signature : undefined,
      )
    ) {
      response.writeHead(401).end();
      return;
    }
    const update = JSON.parse(raw.toString('utf8')) as EchoUpdate;
    let status = 200;
    if (update.type === 'message') {
      try {
        status = (await this.publish(account, update)) ? 200 : 502;
      } catch {
        status = 502;
      }
      if (status !== 200) this.rejected++;
    }
    response.writeHead(status).end();
  }

  private async publish(
    account: FloorAccount,
    update: Extract<EchoUpdate, { type: 'message' }>,
  ): Promise<boolean> {
    const { message } = update;
    const { hubspotBaseUrl, channelId, accessToken } = this.options;
    const response = await fetch(
      `${hubspotBaseUrl}/conversations/v3/custom-channels/${channelId}/messages`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          channelAccountId: account.hubspotChannelAccountId,
          messageDirection: 'INCOMING',
          integrationThreadId: `${account.echoAccountId}:${message.chat.id}`,
          integrationIdempotencyId: `${account.echoAccountId}:${update.update_id}`,
          senders: [
            {
              deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: message.from.id },
              name: message.from.name,
            },
          ],
          recipients: [
            { deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: account.botId } },
          ],
          text: message.text,
          timestamp: message.date,
          attachments: [],
        }),
      },
    );
    await response.arrayBuffer();
    return response.ok;
  }
}

/**
 * A small HTTP proxy in front of the Twilio simulator for the SMS conformance harness. It forwards
 * everything and adds two things the simulator does not offer (see the plugin README):
 * - `POST …/IncomingPhoneNumbers/{PN}.json` (update SmsUrl / SmsMethod), which Twilio serves and
 *   `startReceiving` uses to point the number at the gateway;
 * - a one-shot Twilio 4xx error on the next message create of an account (the simulator's fault
 *   rules only know 429 / 5xx / slow / drop).
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const NUMBER_UPDATE =
  /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/IncomingPhoneNumbers\/(PN[0-9a-fA-F]{32})\.json$/;
const MESSAGE_CREATE = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

export interface NumberUpdate {
  accountSid: string;
  numberSid: string;
  authorization: string | undefined;
  params: URLSearchParams;
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  status: number;
}

export class TwilioApiProxy {
  private server?: Server;
  private target = '';
  private readonly failures = new Map<string, TwilioErrorBody>();

  /** Applies a number update; false when the number or the credentials are unknown. */
  constructor(private readonly updateNumber: (update: NumberUpdate) => boolean) {}

  async start(): Promise<string> {
    const server = createServer((incoming, response) => {
      void this.handle(incoming).then(
        ({ status, headers, body }) => response.writeHead(status, headers).end(body),
        (error: unknown) => response.writeHead(502).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('proxy not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  forwardTo(target: string): void {
    this.target = target;
  }

  failNextCreate(accountSid: string, error: TwilioErrorBody): void {
    this.failures.set(accountSid, error);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(incoming: IncomingMessage): Promise<Forwarded> {
    const body = await readBody(incoming);
    const path = new URL(incoming.url ?? '/', 'http://proxy').pathname;
    const method = incoming.method ?? 'GET';
    const update = NUMBER_UPDATE.exec(path);
    if (method === 'POST' && update) {
      const applied = this.updateNumber({
        accountSid: update[1],
        numberSid: update[2],
        authorization: incoming.headers.authorization,
        params: new URLSearchParams(body.toString('utf8')),
      });
      if (!applied) return twilioError({ code: 20404, message: 'Not found', status: 404 });
      return this.forward(incoming, 'GET', Buffer.alloc(0));
    }
    const create = MESSAGE_CREATE.exec(path);
    const failure = create && method === 'POST' ? this.failures.get(create[1]) : undefined;
    if (create && failure) {
      this.failures.delete(create[1]);
      return twilioError(failure);
    }
    return this.forward(incoming, method, body);
  }

  private forward(incoming: IncomingMessage, method: string, body: Buffer): Promise<Forwarded> {
    const target = new URL(incoming.url ?? '/', this.target);
    const headers = { ...incoming.headers, host: target.host };
    if (method === 'GET') {
      delete headers['content-length'];
      delete headers['content-type'];
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(target, { method, headers }, (answer) => {
        void readBody(answer).then(
          (data) =>
            resolve({
              status: answer.statusCode ?? 502,
              headers: flatHeaders(answer.headers),
              body: data,
            }),
          reject,
        );
      });
      outgoing.on('error', reject);
      outgoing.end(method === 'GET' ? undefined : body);
    });
  }
}

interface Forwarded {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function twilioError(error: TwilioErrorBody): Forwarded {
  const body = {
    ...error,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
  };
  return {
    status: error.status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function flatHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'transfer-encoding' || name === 'connection') continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

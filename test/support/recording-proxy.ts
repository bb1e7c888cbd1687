import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that went through the proxy, with the upstream's answer. */
export interface ProxiedCall {
  at: number;
  path: string;
  status: number;
  /** The answer's body when it was JSON, else undefined. */
  body?: unknown;
}

/**
 * A transparent HTTP proxy on loopback in front of a simulator, one per gateway process, so a
 * test can tell which process made which call (the simulator cannot: every caller is 127.0.0.1).
 */
export class RecordingProxy {
  readonly calls: ProxiedCall[] = [];
  private server?: Server;

  constructor(private readonly upstream: string) {}

  async start(): Promise<string> {
    const server = createServer((incoming, response) => {
      void this.forward(incoming).then(
        ({ status, contentType, text }) => {
          response.writeHead(status, contentType ? { 'content-type': contentType } : {});
          response.end(text);
        },
        (error: unknown) => response.writeHead(502).end(String(error)),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    this.server = server;
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('RecordingProxy is not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Calls whose path ends with `/<method>` (e.g. getUpdates). */
  callsOf(method: string): ProxiedCall[] {
    return this.calls.filter((call) => call.path.endsWith(`/${method}`));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  private async forward(
    incoming: IncomingMessage,
  ): Promise<{ status: number; contentType?: string; text: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = incoming.url ?? '/';
    const contentType = incoming.headers['content-type'];
    const answer = await fetch(`${this.upstream}${path}`, {
      method: incoming.method,
      headers: contentType ? { 'content-type': contentType } : {},
      body: body.length > 0 ? body : undefined,
    });
    const text = await answer.text();
    const responseType = answer.headers.get('content-type') ?? undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    this.calls.push({ at: Date.now(), path, status: answer.status, body: parsed });
    return { status: answer.status, contentType: responseType, text };
  }
}

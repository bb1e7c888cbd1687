/**
 * Stands in for HubSpot's signed file URLs: an HTTP server on loopback that serves published
 * bytes at unguessable URLs, so that adapters whose platform fetches media itself (Twilio MMS
 * `MediaUrl`) get an `OutboundAttachment.publicUrl` as the gateway gives them. Records every
 * request, so tests can tell that the platform fetched the file.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PublishedFile {
  bytes: Buffer;
  mimeType: string;
  fileName?: string;
}

export interface FileRequest {
  method: string;
  path: string;
  status: number;
}

export class PublicFileHost {
  readonly requests: FileRequest[] = [];
  private readonly files = new Map<string, PublishedFile>();
  private server?: Server;

  async start(): Promise<string> {
    const server = createServer((incoming, response) => {
      const { status, headers, body } = this.answer(incoming);
      this.requests.push({ method: incoming.method ?? 'GET', path: incoming.url ?? '/', status });
      response.writeHead(status, headers).end(incoming.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    return this.url;
  }

  get url(): string {
    if (!this.server) throw new Error('PublicFileHost is not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The public URL of these bytes: a random token, then the file name (as signed URLs often end). */
  publish(file: PublishedFile): string {
    const token = randomBytes(16).toString('hex');
    this.files.set(token, file);
    const name = file.fileName ? `/${encodeURIComponent(file.fileName)}` : '';
    return `${this.url}/files/${token}${name}`;
  }

  /** Makes a published URL answer 404 from now on (an expired or revoked signed URL). */
  revoke(url: string): void {
    const token = /\/files\/([0-9a-f]{32})/.exec(url)?.[1];
    if (token) this.files.delete(token);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private answer(incoming: IncomingMessage): {
    status: number;
    headers: Record<string, string>;
    body: Buffer | string;
  } {
    const token = /^\/files\/([0-9a-f]{32})(?:\/[^/?]*)?(?:\?.*)?$/.exec(incoming.url ?? '')?.[1];
    const file = token ? this.files.get(token) : undefined;
    if (incoming.method !== 'GET' && incoming.method !== 'HEAD') {
      return { status: 405, headers: { allow: 'GET, HEAD' }, body: '' };
    }
    if (!file) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' };
    const headers: Record<string, string> = {
      'content-type': file.mimeType,
      'content-length': String(file.bytes.length),
    };
    if (file.fileName) {
      headers['content-disposition'] =
        `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
    }
    return { status: 200, headers, body: file.bytes };
  }
}

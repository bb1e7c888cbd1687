/**
 * A loopback HTTP proxy in front of the Matrix simulator that can make the homeserver deliver a
 * sync batch again, as after a lost acknowledgement: it cuts the account's running /sync and
 * rewrites the `since` of its next one to a token before the event.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from '../../../test/support/forwarding-proxy';

export class SyncRewindProxy {
  private server?: Server;
  private readonly rewinds = new Map<string, string>();
  private readonly inFlight = new Map<string, Set<IncomingMessage>>();

  constructor(private readonly target: string) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('proxy not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** The next /sync of `accessToken` starts from `since` (its running one is cut). */
  rewind(accessToken: string, since: string): void {
    this.rewinds.set(accessToken, since);
    for (const req of this.inFlight.get(accessToken) ?? []) req.socket.destroy();
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const url = new URL(req.url ?? '/', this.target);
      if (url.pathname === '/_matrix/client/v3/sync') {
        const since = this.rewinds.get(token);
        if (since !== undefined) {
          this.rewinds.delete(token);
          url.searchParams.set('since', since);
        }
        const set = this.inFlight.get(token) ?? new Set();
        set.add(req);
        this.inFlight.set(token, set);
        req.on('close', () => set.delete(req));
      }
      const upstream = forwardRequest(req, res, url);
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const set of this.inFlight.values()) for (const req of set) req.socket.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

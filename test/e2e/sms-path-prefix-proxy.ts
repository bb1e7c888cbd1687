/**
 * A loopback reverse proxy that serves the gateway under a path prefix and strips it, as nginx
 * with `location /gw/ { proxy_pass http://gateway/; }` does: the URL a platform calls (and signs)
 * differs from the one the gateway sees.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class PathPrefixProxy {
  /** Where requests go, e.g. `http://127.0.0.1:43210`. */
  target = '';
  private server?: Server;

  constructor(readonly prefix: string) {}

  /** Listens on a free loopback port; resolves the public base URL (with the prefix). */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (!path.startsWith(`${this.prefix}/`)) {
        res.writeHead(404).end('not behind this prefix');
        return;
      }
      const url = new URL(path.slice(this.prefix.length), this.target || 'http://127.0.0.1:1');
      const upstream = httpRequest(
        url,
        { method: req.method, headers: { ...req.headers, host: url.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end('target unreachable');
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}${this.prefix}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

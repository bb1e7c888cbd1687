/**
 * A loopback reverse proxy with a stable URL in front of a server whose address changes (a test
 * gateway listens on a new port after each restart), as nginx would be in front of the gateway.
 * While the target is down it answers 502, so the caller retries.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class ForwardingProxy {
  /** Where requests go now, e.g. `http://127.0.0.1:43210`. */
  target = '';
  private server?: Server;

  /** Listens on a free loopback port and returns the proxy's URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', this.target || 'http://127.0.0.1:1');
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
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

/**
 * A loopback reverse proxy in front of the gateway, as nginx would be:
 *
 * - with a stable URL in front of a server whose address changes (a test gateway listens on a new
 *   port after each restart); while the target is down it answers 502, so the caller retries;
 * - optionally under a path prefix that it strips, as `location /gw/ { proxy_pass
 *   http://gateway/; }` does: the URL a platform calls (and signs) differs from the one the
 *   gateway sees.
 */
import {
  type ClientRequest,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Sends `req` on to `url` (its method, headers and body, with `url`'s host) and pipes the answer
 * into `res`. Returns the upstream request, whose errors the caller handles.
 */
export function forwardRequest(req: IncomingMessage, res: ServerResponse, url: URL): ClientRequest {
  const upstream = httpRequest(
    url,
    { method: req.method, headers: { ...req.headers, host: url.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  req.pipe(upstream);
  return upstream;
}

export class ForwardingProxy {
  /** Where requests go now, e.g. `http://127.0.0.1:43210`. */
  target = '';
  private server?: Server;

  /** `prefix`: e.g. `/gw`; requests outside it get 404. */
  constructor(readonly prefix = '') {}

  /** Listens on a free loopback port; resolves the proxy's public base URL (with the prefix). */
  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (this.prefix && !path.startsWith(`${this.prefix}/`)) {
        res.writeHead(404).end('not behind this prefix');
        return;
      }
      const url = new URL(path.slice(this.prefix.length), this.target || 'http://127.0.0.1:1');
      forwardRequest(req, res, url).on('error', () => {
        if (!res.headersSent) res.writeHead(502).end('target unreachable');
      });
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

import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface ReceivedRequest {
  method: string;
  url: string;
  authorization?: string;
  body: Record<string, unknown>;
}

/** A tiny application-service HTTP endpoint for tests: records requests, can fail on demand. */
export class FakeAppservice {
  readonly received: ReceivedRequest[] = [];
  /** Status answered to the next N transaction PUTs before answering 200. */
  failNext: number[] = [];
  /** Process the next N transactions, then destroy the socket instead of acknowledging. */
  dropNext = 0;
  pingStatus = 200;
  url = '';
  private server?: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        this.received.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          body,
        });
        const isTxn = req.url?.startsWith('/_matrix/app/v1/transactions/') === true;
        if (isTxn && this.dropNext > 0) {
          this.dropNext -= 1;
          req.socket.destroy();
          return;
        }
        const status = isTxn
          ? (this.failNext.shift() ?? 200)
          : req.url === '/_matrix/app/v1/ping'
            ? this.pingStatus
            : 404;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(status === 200 ? '{}' : JSON.stringify({ errcode: 'M_UNKNOWN', error: 'nope' }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }

  transactions(): ReceivedRequest[] {
    return this.received.filter((r) => r.url.startsWith('/_matrix/app/v1/transactions/'));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.from(c as Uint8Array));
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

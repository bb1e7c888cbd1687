import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { TelegramSimControlClient } from './control/control-client';
import { controlRouter } from './control/control-routes';
import type { TelegramSimulatorOptions } from './options';
import { botApiHandler } from './server/bot-api-handler';
import { fileDownloadHandler } from './server/file-download-handler';
import { SimulatorEngine } from './simulator-engine';

/** A running simulator: control helpers plus the Bot API root for grammY's `client.apiRoot`. */
export class TelegramSimulator extends TelegramSimControlClient {
  constructor(
    baseUrl: string,
    readonly port: number,
    /** In-process state, for assertions the HTTP control API does not cover. */
    readonly engine: SimulatorEngine,
    private readonly server: Server,
  ) {
    super(baseUrl);
  }

  /** The Bot API URL of one method, e.g. `${sim.methodUrl(token, 'getMe')}`. */
  methodUrl(token: string, method: string): string {
    return `${this.baseUrl}/bot${token}/${method}`;
  }

  fileUrl(token: string, filePath: string): string {
    return `${this.baseUrl}/file/bot${token}/${filePath}`;
  }

  async close(): Promise<void> {
    this.engine.close();
    await new Promise<void>((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }
}

export function createSimulatorApp(engine: SimulatorEngine): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use('/__sim', controlRouter(engine));
  app.use('/file', (req, res, next) => {
    req.url = `/file${req.url}`;
    fileDownloadHandler(engine)(req, res, next);
  });
  app.use(botApiHandler(engine));
  return app;
}

/** Starts the simulator on 127.0.0.1 (port 0 = any free port). */
export async function startTelegramSimulator(
  options: TelegramSimulatorOptions = {},
): Promise<TelegramSimulator> {
  const engine = new SimulatorEngine(options);
  const app = createSimulatorApp(engine);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(engine.options.port, '127.0.0.1', (err?: Error) =>
      err ? reject(err) : resolve(s),
    );
  });
  // Long polls may be held up to maxLongPollSeconds; keep Node's timeouts out of the way.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  const { port } = server.address() as AddressInfo;
  return new TelegramSimulator(`http://127.0.0.1:${port}`, port, engine, server);
}

import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SimContext } from './context';
import { SimControl } from './control';
import { controlRouter } from './control-api';
import { correlationIdOf, HubSpotError, sendError } from './errors';
import { FaultInjector } from './faults';
import { loadOpenApiDocs } from './openapi-docs';
import { buildOpenApiValidators, hubSpotErrorHandler } from './openapi-validator';
import { type HubSpotSimulatorOptions, resolveOptions } from './options';
import { RateLimiter } from './rate-limit';
import { registerChannelAccountRoutes } from './routes/channel-accounts';
import { registerChannelRoutes } from './routes/channels';
import { registerContactRoutes } from './routes/contacts';
import { registerConversationRoutes } from './routes/conversations';
import { registerCrmRoutes } from './routes/crm';
import { registerFileRoutes } from './routes/files';
import { registerMessageRoutes } from './routes/messages';
import { registerOAuthRoutes } from './routes/oauth';
import { chainOf, type RouteKit } from './routes/route';
import { SimState } from './state';
import type { Message, RequestLogEntry, WebhookDelivery } from './types';
import { WebhookDispatcher } from './webhooks';

export interface HubSpotSimulator {
  /** e.g. http://127.0.0.1:4010 — use as HubSpot's API base URL and app.hubspot.com base. */
  baseUrl: string;
  /** The simulated app's credentials. */
  app: { appId: number; clientId: string; clientSecret: string; developerApiKey: string };
  options: HubSpotSimulatorOptions;
  /** Live in-memory state (read it in assertions; mutate only through `control`). */
  state: SimState;
  /** Simulator-only operations, the same as the /__sim control API. */
  control: SimControl;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  /** Directory holding uploaded file bytes. */
  filesDir: string;
  snapshot(): Record<string, unknown>;
  webhookDeliveries(filter?: { eventType?: string; channelId?: string }): WebhookDelivery[];
  /** Resolves when no webhook delivery is in flight or scheduled for retry. */
  waitForWebhooks(timeoutMs?: number): Promise<void>;
  requests(): RequestLogEntry[];
  /** Called synchronously as each published message is stored (replays excluded); returns an unsubscribe. */
  onMessagePublished(listener: (message: Message) => void): () => void;
  close(): Promise<void>;
}

const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export async function startHubSpotSimulator(
  partial: Partial<HubSpotSimulatorOptions> = {},
): Promise<HubSpotSimulator> {
  const options = resolveOptions(partial);
  const ownFilesDir = !options.filesDir;
  const filesDir = options.filesDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hubspot-sim-'));
  const state = new SimState();
  const docs = loadOpenApiDocs(options);
  const webhooks = new WebhookDispatcher(options, state);
  const ctx: SimContext = {
    options,
    state,
    docs,
    webhooks,
    filesDir,
    baseUrl: '',
    urlSigningKey: randomBytes(32).toString('hex'),
    now: () => Date.now(),
  };
  const faults = new FaultInjector(options.faults, options.faultSeed);
  const rateLimiter = new RateLimiter(options.rateLimit);
  const control = new SimControl(ctx);
  const validators: RequestHandler[] = [];

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!LOOPBACK_PEERS.has(req.socket.remoteAddress ?? '')) {
      res.status(403).end();
      return;
    }
    const started = Date.now();
    correlationIdOf(res);
    res.on('finish', () => {
      if (req.path.startsWith('/__sim')) return;
      const entry: RequestLogEntry = {
        at: new Date(started).toISOString(),
        method: req.method,
        path: req.path,
        query: req.originalUrl.includes('?')
          ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
          : '',
        status: res.statusCode,
        durationMs: Date.now() - started,
        correlationId: String(res.locals.correlationId),
        ...(typeof res.locals.portalId === 'string' ? { portalId: res.locals.portalId } : {}),
        ...(req.is('application/json') ? { body: req.body as unknown } : {}),
        ...(typeof res.locals.fault === 'string' ? { fault: res.locals.fault } : {}),
      };
      state.requests.push(entry);
      if (options.verbose) console.log(`${entry.method} ${req.originalUrl} -> ${entry.status}`);
    });
    next();
  });
  app.use(faults.middleware());
  app.use(express.json({ limit: '20mb' }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use(controlRouter(ctx, control, faults, rateLimiter));
  // Warm-up: loads and compiles every document once, so the first real request is fast.
  app.get('/__sim/warmup', chainOf(validators), (_req: Request, res: Response) => {
    res.json({ ok: true });
  });

  const router = express.Router();
  const served = new Set<string>();
  const kit: RouteKit = { ctx, router, validators, rateLimit: rateLimiter.middleware(), served };
  registerOAuthRoutes(kit);
  registerChannelRoutes(kit);
  registerChannelAccountRoutes(kit);
  registerMessageRoutes(kit);
  registerFileRoutes(kit);
  registerConversationRoutes(kit);
  registerCrmRoutes(kit);
  registerContactRoutes(kit);
  validators.push(
    ...buildOpenApiValidators(
      docs,
      served,
      JSON.stringify([
        options.openApiDir,
        options.strictPublishRequiredFields,
        options.channelPatchRequiredFields,
      ]),
    ),
  );
  app.use(router);
  app.use((req: Request, res: Response) => {
    sendError(
      res,
      new HubSpotError(
        404,
        'OBJECT_NOT_FOUND',
        `No route for ${req.method} ${req.path} in the HubSpot simulator`,
      ),
    );
  });
  app.use(hubSpotErrorHandler);

  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(options.port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  ctx.baseUrl = `http://127.0.0.1:${port}`;
  await fetch(`${ctx.baseUrl}/__sim/warmup`);

  return {
    baseUrl: ctx.baseUrl,
    app: {
      appId: options.appId,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      developerApiKey: options.developerApiKey,
    },
    options,
    state,
    control,
    faults,
    rateLimiter,
    filesDir,
    snapshot: () => state.snapshot(),
    webhookDeliveries: (filter = {}) =>
      state.webhooks.filter(
        (w) =>
          (!filter.eventType || w.eventType === filter.eventType) &&
          (!filter.channelId || w.channelId === filter.channelId),
      ),
    waitForWebhooks: (timeoutMs) => webhooks.idle(timeoutMs),
    requests: () => state.requests,
    onMessagePublished: (listener) => state.onMessagePublished(listener),
    close: async () => {
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownFilesDir) fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

import express, { type Express } from 'express';
import type { SimController } from './control/controller';
import type { SimCore } from './core';
import { errorHandler, homeserverPipeline, notFoundHandler } from './http/pipeline';
import type { MediaRepo } from './state/media';
import { accountRoutes } from './routes/client-account';
import { eventRoutes } from './routes/client-events';
import { membershipRoutes } from './routes/client-membership';
import { syncRoutes } from './routes/client-sync';
import { appserviceRoutes } from './routes/appservice';
import { controlRoutes } from './routes/control';
import { mediaRoutes } from './routes/media';

/** The express app: control API at `/__sim`, homeserver API at `/_matrix`. */
export function buildApp(core: SimCore, media: MediaRepo, controller: SimController): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(controlRoutes(controller));
  app.use('/_matrix', ...homeserverPipeline(core));
  app.use(accountRoutes(core));
  app.use(syncRoutes(core));
  app.use(membershipRoutes(core));
  app.use(eventRoutes(core));
  app.use(mediaRoutes(core, media));
  app.use(appserviceRoutes(core));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

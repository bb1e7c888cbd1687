import { json, raw, urlencoded } from 'express';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { NestPinoLogger } from './core/logging';
import type { PreparedGateway } from './prepare-gateway';

/** Platform and HubSpot webhooks are verified over their exact bytes: keep those bodies raw. */
const RAW_BODY_PATHS = ['/adapters', '/hubspot/webhook'];
const BODY_LIMIT = '25mb';

/** Creates the Nest application (not yet listening). */
export async function createGatewayApp(
  prepared: PreparedGateway,
  extraModules: Parameters<typeof AppModule.forRoot>[1] = [],
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(prepared, extraModules),
    {
      bodyParser: false,
      logger: new NestPinoLogger(prepared.logger),
      abortOnError: false,
    },
  );
  for (const path of RAW_BODY_PATHS) app.use(path, raw({ type: () => true, limit: BODY_LIMIT }));
  app.use(json({ limit: BODY_LIMIT }));
  app.use(urlencoded({ extended: false, limit: BODY_LIMIT }));
  app.enableShutdownHooks();
  return app;
}

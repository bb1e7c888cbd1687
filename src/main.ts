import 'reflect-metadata';
import { ConfigError } from './core/config';
import { prepareGateway, type PreparedGateway } from './prepare-gateway';

async function main(): Promise<void> {
  let prepared: PreparedGateway;
  try {
    prepared = await prepareGateway();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Loaded only now: a configuration error is reported without loading Nest and TypeORM.
  const { createGatewayApp } = await import('./create-gateway-app');
  const app = await createGatewayApp(prepared);
  await app.listen(prepared.config.PORT);
  prepared.logger.info(
    { port: prepared.config.PORT, publicUrl: prepared.config.PUBLIC_URL },
    'gateway listening',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `gateway failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});

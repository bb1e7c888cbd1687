import { startHubSpotSimulator } from './server';

/**
 * Standalone: `npm run sim:hubspot`. Env: HUBSPOT_SIM_PORT (default 4010), HUBSPOT_OPENAPI_DIR,
 * HUBSPOT_SIM_APP_ID / _CLIENT_ID / _CLIENT_SECRET / _DEVELOPER_API_KEY, HUBSPOT_SIM_VERBOSE=1,
 * HUBSPOT_SIM_WEBHOOK_TIME_SCALE (e.g. 0.001 to compress webhook retries).
 */
async function main(): Promise<void> {
  const port = Number(process.env.HUBSPOT_SIM_PORT ?? 4010);
  const env = process.env;
  const sim = await startHubSpotSimulator({
    port,
    ...(env.HUBSPOT_SIM_APP_ID ? { appId: Number(env.HUBSPOT_SIM_APP_ID) } : {}),
    ...(env.HUBSPOT_SIM_CLIENT_ID ? { clientId: env.HUBSPOT_SIM_CLIENT_ID } : {}),
    ...(env.HUBSPOT_SIM_CLIENT_SECRET ? { clientSecret: env.HUBSPOT_SIM_CLIENT_SECRET } : {}),
    ...(env.HUBSPOT_SIM_DEVELOPER_API_KEY
      ? { developerApiKey: env.HUBSPOT_SIM_DEVELOPER_API_KEY }
      : {}),
    verbose: process.env.HUBSPOT_SIM_VERBOSE === '1',
    ...(process.env.HUBSPOT_SIM_WEBHOOK_TIME_SCALE
      ? { webhookTimeScale: Number(process.env.HUBSPOT_SIM_WEBHOOK_TIME_SCALE) }
      : {}),
  });
  console.log(`HubSpot simulator listening on ${sim.baseUrl}`);
  console.log(
    `  app: appId=${sim.app.appId} clientId=${sim.app.clientId} developerApiKey=${sim.app.developerApiKey}`,
  );
  console.log(`  control API: ${sim.baseUrl}/__sim/state`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

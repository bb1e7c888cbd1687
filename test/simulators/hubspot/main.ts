import { startHubSpotSimulator } from './server';

/** Standalone: `npm run sim:hubspot` (HUBSPOT_SIM_PORT, default 4010). */
async function main(): Promise<void> {
  const port = Number(process.env.HUBSPOT_SIM_PORT ?? 4010);
  const sim = await startHubSpotSimulator({
    port,
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

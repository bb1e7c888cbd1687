import { startMatrixSimulator } from './simulator';

/** Standalone entry: `npm run sim:matrix` (MATRIX_SIM_PORT, default 4040). */
async function main(): Promise<void> {
  const port = Number(process.env.MATRIX_SIM_PORT ?? 4040);
  const sim = await startMatrixSimulator({ port, serverName: process.env.MATRIX_SIM_SERVER_NAME });
  console.log(
    `Matrix homeserver simulator listening on ${sim.baseUrl} (server name ${sim.serverName})`,
  );
  console.log(`Control API: ${sim.baseUrl}/__sim`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

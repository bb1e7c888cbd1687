import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startMatrixSimulator } from './simulator';
import type { AppserviceRegistration, MatrixSimulatorOptions } from './types';

/**
 * Standalone entry: `npm run sim:matrix`. Environment:
 * MATRIX_SIM_PORT (default 4040), MATRIX_SIM_SERVER_NAME (default localhost),
 * MATRIX_SIM_REGISTRATION (path of an appservice registration YAML/JSON file),
 * MATRIX_SIM_RATE_LIMIT (`on` for Synapse-like 0.2/s burst 10), MATRIX_SPEC_DIR.
 */
async function main(): Promise<void> {
  const options: MatrixSimulatorOptions = {
    port: Number(process.env.MATRIX_SIM_PORT ?? 4040),
    serverName: process.env.MATRIX_SIM_SERVER_NAME,
    rateLimit: { enabled: process.env.MATRIX_SIM_RATE_LIMIT === 'on' },
  };
  const regFile = process.env.MATRIX_SIM_REGISTRATION;
  if (regFile) {
    // validated against registration.yaml when registered
    options.appservices = [parse(readFileSync(regFile, 'utf8')) as AppserviceRegistration];
  }
  const sim = await startMatrixSimulator(options);
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

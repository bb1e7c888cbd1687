import { startTwilioSimulator } from './simulator';

/**
 * Standalone simulator: `npm run sim:twilio`.
 * Env: TWILIO_SIM_PORT (default 4030), TWILIO_OPENAPI_FILE, and optionally TWILIO_SIM_ACCOUNT_SID +
 * TWILIO_SIM_AUTH_TOKEN to seed an account (otherwise create accounts via POST /__sim/accounts).
 */
async function main(): Promise<void> {
  const port = Number(process.env.TWILIO_SIM_PORT ?? 4030);
  const sid = process.env.TWILIO_SIM_ACCOUNT_SID;
  const token = process.env.TWILIO_SIM_AUTH_TOKEN;
  const sim = await startTwilioSimulator({
    port,
    accounts: sid ? [{ sid, authToken: token }] : [],
  });
  process.stdout.write(`Twilio simulator listening on ${sim.baseUrl}\n`);
  if (sid) process.stdout.write(`  seeded account ${sid}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

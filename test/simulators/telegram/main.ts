import { startTelegramSimulator } from './simulator';

/**
 * Standalone entry: `npm run sim:telegram`.
 * TELEGRAM_SIM_PORT (default 4020); TELEGRAM_SIM_RATE_LIMITS=off disables flood limits;
 * TELEGRAM_SIM_BOT_TOKEN (+ TELEGRAM_SIM_BOT_USERNAME) pre-creates a bot.
 */
async function main(): Promise<void> {
  const port = Number(process.env.TELEGRAM_SIM_PORT ?? 4020);
  const sim = await startTelegramSimulator({
    port,
    rateLimits: process.env.TELEGRAM_SIM_RATE_LIMITS === 'off' ? false : undefined,
  });
  const token = process.env.TELEGRAM_SIM_BOT_TOKEN;
  if (token) {
    await sim.createBot({ token, username: process.env.TELEGRAM_SIM_BOT_USERNAME });
  }
  process.stdout.write(`Telegram Bot API simulator listening on ${sim.baseUrl}\n`);
  process.stdout.write(
    `control API: ${sim.baseUrl}/__sim (see test/simulators/telegram/README.md)\n`,
  );
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

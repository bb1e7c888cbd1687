/**
 * Runs an Echo platform as its own process, for demos and for tests that want it outside the
 * gateway: `node dist/plugins/echo/echo-platform.main.js` (ECHO_PLATFORM_PORT, default 4010;
 * ECHO_PLATFORM_HOST, default 127.0.0.1; ECHO_AUTO_CREATE_ACCOUNTS=1 accepts any echo_ token).
 * Prints `ECHO_PLATFORM_URL=<url>` once listening.
 */
import { EchoPlatformServer } from './echo-platform-server';

async function main(): Promise<void> {
  const server = new EchoPlatformServer({
    autoCreateAccounts: process.env.ECHO_AUTO_CREATE_ACCOUNTS === '1',
  });
  const url = await server.start(
    Number(process.env.ECHO_PLATFORM_PORT ?? 4010),
    process.env.ECHO_PLATFORM_HOST ?? '127.0.0.1',
  );
  process.stdout.write(`ECHO_PLATFORM_URL=${url}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`echo platform failed to start: ${String(error)}\n`);
    process.exit(1);
  });
}

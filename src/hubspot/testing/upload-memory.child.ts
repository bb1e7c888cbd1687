/**
 * Child process of files-upload-memory.spec.ts: uploads a generated file of UPLOAD_BYTES to the
 * simulator through FilesApi while sampling its own RSS, then prints one JSON line. Running in
 * its own process keeps Jest, the simulator and the test's other allocations out of the figure.
 * Started with `node -r test/support/ts-register.js` (a warm transpile cache never loads tsc).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { FileDownloader } from '../client/file-download';
import { FilesApi, DEFAULT_FILES_OPTIONS } from '../client/files.api';
import { HubSpotHttp } from '../client/hubspot-http';
import { MemoryTokenStore } from '../oauth/memory-token-store';
import { OAuthTokenApi } from '../oauth/oauth-token.api';
import { LocalRefreshLock } from '../oauth/refresh-lock';
import { HubSpotTokenManager } from '../oauth/token-manager';
import { MemoryRateLimitStore } from '../rate-limit/memory-rate-limit-store';
import { PortalRateLimiter } from '../rate-limit/portal-rate-limiter';

const CHUNK = 64 * 1024;

function generated(total: number, hash: ReturnType<typeof createHash>): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const size = Math.min(CHUNK, total - sent);
      const chunk = Buffer.allocUnsafe(size).fill(sent % 251);
      sent += size;
      hash.update(chunk);
      this.push(chunk);
    },
  });
}

async function main(): Promise<void> {
  if (process.argv.includes('--warm')) return;
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const baseUrl = env('HUBSPOT_BASE_URL');
  const portalId = env('PORTAL_ID');
  const total = Number(env('UPLOAD_BYTES'));

  const store = new MemoryTokenStore();
  await store.save(portalId, {
    accessToken: env('ACCESS_TOKEN'),
    refreshToken: env('REFRESH_TOKEN'),
    expiresAt: new Date(Date.now() + 30 * 60_000),
  });
  const oauth = new OAuthTokenApi(new HubSpotHttp({ baseUrl }, undefined, undefined), {
    clientId: env('CLIENT_ID'),
    clientSecret: env('CLIENT_SECRET'),
  });
  const tokens = new HubSpotTokenManager(store, oauth, new LocalRefreshLock());
  const http = new HubSpotHttp(
    { baseUrl },
    tokens,
    new PortalRateLimiter(new MemoryRateLimitStore()),
  );
  const files = new FilesApi(
    http,
    portalId,
    new FileDownloader(http, tokens),
    DEFAULT_FILES_OPTIONS,
  );

  global.gc?.();
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  const hash = createHash('md5');
  const started = Date.now();
  const file = await files.uploadToChannelFolder('memory-test', {
    data: generated(total, hash),
    fileName: 'big.bin',
    contentType: 'application/octet-stream',
    size: total,
  });
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  process.stdout.write(
    `${JSON.stringify({
      fileId: file.id,
      size: file.size,
      fileMd5: file.fileMd5,
      md5: hash.digest('hex'),
      startRss,
      peakRss,
      ms: Date.now() - started,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

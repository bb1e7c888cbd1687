import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createGatewayApp } from '../../src/create-gateway-app';
import { prepareGateway, type PreparedGateway } from '../../src/prepare-gateway';
import { freePort } from './gateway-process';

export interface TestGateway {
  app: NestExpressApplication;
  prepared: PreparedGateway;
  url: string;
  cwd: string;
  /** JSON log records written so far. */
  logs: () => Record<string, unknown>[];
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Content of gateway.yaml. */
  yaml?: string;
  env?: NodeJS.ProcessEnv;
  pluginsDir?: string;
  cwd?: string;
  /** Feature modules mounted next to the gateway's own (a module under development). */
  modules?: Parameters<typeof createGatewayApp>[1];
}

/**
 * A whole gateway in the test process, listening on a free loopback port, on a fresh SQLite
 * file (unless DATABASE_URL says otherwise) with the embedded queue.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'gw-test-'));
  if (options.yaml !== undefined) writeFileSync(join(cwd, 'gateway.yaml'), options.yaml);
  const port = await freePort();
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const prepared = await prepareGateway({
    cwd,
    env: {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: `sqlite:${join(cwd, 'data/gateway.sqlite')}`,
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    logDestination: sink,
    pluginsDir: options.pluginsDir,
  });
  const app = await createGatewayApp(prepared, options.modules);
  await app.listen(port, '127.0.0.1');
  return {
    app,
    prepared,
    url: `http://127.0.0.1:${port}`,
    cwd,
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    close: () => app.close(),
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

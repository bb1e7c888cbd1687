/**
 * The gateway under test for bench:e2e: the real entry point (src/main.ts) in its own process,
 * SQLite and the embedded queue in a temp dir, the echo adapter pointed at the bench's Echo
 * platform. It is set up only through its public surfaces, as an operator and HubSpot would:
 * `channels:register` (the CLI, another process), the OAuth install (/oauth/install ->
 * simulator -> /oauth/callback) and, per Echo account, the HubSpot connection popup.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EchoPlatform } from '../plugins/echo/echo-platform';
import type { GatewayHealth } from '../src/core/observability/health.service';
import type { HubSpotSimulator } from '../test/simulators/hubspot';
import {
  freePort,
  type GatewayProcess,
  REPO_ROOT,
  startGatewayProcess,
  waitForOk,
} from '../test/support/gateway-process';

export interface GatewayUnderTest {
  url: string;
  process: GatewayProcess;
  /** Echo accounts connected to HubSpot through the gateway, all receiving. */
  echoAccountIds: string[];
  stop(): Promise<void>;
}

export interface GatewayOptions {
  sim: HubSpotSimulator;
  echoUrl: string;
  platform: EchoPlatform;
  accounts: number;
  logLevel: string;
  /** Extra NODE_OPTIONS for the gateway process (e.g. a profiler preload). */
  nodeOptions?: string;
  log: (line: string) => void;
}

export async function startGatewayUnderTest(options: GatewayOptions): Promise<GatewayUnderTest> {
  const { sim, log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-gateway-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'gateway.yaml'),
    `adapters:\n  echo:\n    platformUrl: ${options.echoUrl}\n`,
  );
  const env: NodeJS.ProcessEnv = {
    PORT: String(port),
    PUBLIC_URL: url,
    LOG_LEVEL: options.logLevel,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    HUBSPOT_API_BASE_URL: sim.baseUrl,
    HUBSPOT_AUTHORIZE_URL: `${sim.baseUrl}/oauth/authorize`,
    HUBSPOT_APP_ID: String(sim.app.appId),
    HUBSPOT_CLIENT_ID: sim.app.clientId,
    HUBSPOT_CLIENT_SECRET: sim.app.clientSecret,
    HUBSPOT_DEVELOPER_API_KEY: sim.app.developerApiKey,
  };
  const registered = await runCli(dir, env, ['channels:register', 'echo']);
  const channelId = /HubSpot channel (\d+)/.exec(registered)?.[1];
  if (!channelId) throw new Error(`channels:register did not register a channel:\n${registered}`);
  log(`channel registered: ${registered.split('\n')[0]}`);

  const gateway = startGatewayProcess(dir, {
    ...env,
    ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
  });
  let stopping = false;
  void gateway.exited.then(({ code, signal }) => {
    if (stopping) return;
    log(`gateway process exited unexpectedly (code ${code}, signal ${signal}):`);
    log(`${gateway.stdout().split('\n').slice(-10).join('\n')}\n${gateway.stderr().slice(-3000)}`);
  });
  const stop = async () => {
    stopping = true;
    if (gateway.child.exitCode === null && gateway.child.signalCode === null) {
      gateway.child.kill('SIGTERM');
      const timer = setTimeout(() => gateway.child.kill('SIGKILL'), 15_000);
      await gateway.exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForOk(`${url}/health`, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${gateway.stdout()}\n${gateway.stderr()}`);
    });
    const { portalId, inboxId } = await install(url, sim);
    log(`portal ${portalId} installed through /oauth/install`);
    const echoAccountIds: string[] = [];
    const connectOne = async (i: number) => {
      const bot = options.platform.createAccount({ name: `Bench bot ${i}` });
      await connectThroughPopup(url, sim, channelId, { portalId, inboxId }, bot.token);
      echoAccountIds.push(bot.id);
    };
    for (let i = 0; i < options.accounts; i += 4) {
      await Promise.all(
        Array.from({ length: Math.min(4, options.accounts - i) }, (_, k) => connectOne(i + k)),
      );
    }
    await waitForReceiving(url, options.accounts);
    log(`${options.accounts} Echo accounts connected through the popup and receiving`);
    return { url, process: gateway, echoAccountIds, stop };
  } catch (error) {
    log(`gateway output (last lines):\n${gateway.stdout().split('\n').slice(-15).join('\n')}`);
    await stop();
    throw error;
  }
}

/** Runs the gateway's CLI (src/cli.ts) in `cwd`; resolves its stdout, rejects on a non-zero exit. */
function runCli(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const child = spawn(
    process.execPath,
    ['-r', join(REPO_ROOT, 'test/support/ts-register.js'), join(REPO_ROOT, 'src/cli.ts'), ...args],
    { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`cli ${args.join(' ')}: exit ${code}\n${out}${err}`)),
    ),
  );
}

/** The app install as a portal admin does it: gateway -> HubSpot's consent page -> callback. */
async function install(
  gatewayUrl: string,
  sim: HubSpotSimulator,
): Promise<{ portalId: string; inboxId: string }> {
  const { portalId, inboxes } = sim.control.createPortal({});
  const inboxId = (inboxes.find((inbox) => inbox.type === 'HELP_DESK') ?? inboxes[0]).id;
  const start = await fetch(`${gatewayUrl}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location') ?? '');
  authorize.searchParams.set('portalId', portalId);
  const consent = await fetch(authorize, { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location') ?? '', { redirect: 'manual' });
  if (callback.status !== 200) {
    throw new Error(`OAuth callback answered ${callback.status}: ${await callback.text()}`);
  }
  return { portalId, inboxId };
}

/** HubSpot's "connect a channel" popup, over plain HTTP (as test/e2e/hubspot-webhook does). */
async function connectThroughPopup(
  gatewayUrl: string,
  sim: HubSpotSimulator,
  channelId: string,
  target: { portalId: string; inboxId: string },
  token: string,
): Promise<void> {
  const { connectUrl, redirectUrl } = sim.control.connectUrl(channelId, target);
  const page = await (await fetch(connectUrl)).text();
  const form = /name="form" value="([^"]+)"/.exec(page)?.[1];
  if (!form) throw new Error(`the connection popup has no form:\n${page.slice(0, 500)}`);
  const submitted = await fetch(`${gatewayUrl}/connect/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ form: decodeHtml(form), token }).toString(),
    redirect: 'manual',
  });
  if (submitted.status !== 303 || submitted.headers.get('location') !== redirectUrl) {
    throw new Error(`popup submit answered ${submitted.status}: ${await submitted.text()}`);
  }
  const completed = await fetch(redirectUrl);
  if (completed.status !== 200) throw new Error(`connection not completed: ${completed.status}`);
}

function decodeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Waits until the gateway's /health shows `count` echo accounts receiving. */
async function waitForReceiving(gatewayUrl: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  let states: string[] = [];
  while (Date.now() < deadline) {
    const health = (await (await fetch(`${gatewayUrl}/health`)).json()) as GatewayHealth;
    states = health.adapters.flatMap((adapter) => adapter.accounts).map((a) => a.state);
    if (states.filter((state) => state === 'receiving').length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not all ${count} accounts are receiving after 60 s: ${states.join(', ')}`);
}

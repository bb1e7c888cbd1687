/**
 * Sets up the floor of bench:e2e: its own HubSpot portal (real OAuth code exchange), channel and
 * channel accounts (created through the public API, as an integration without the popup would),
 * and Echo accounts whose webhooks point at the floor forwarder, which runs in a process of its
 * own like the gateway.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { EchoPlatform } from '../plugins/echo/echo-platform';
import type { SimHarness } from '../src/hubspot/testing/sim-client';
import type { FloorAccount, FloorOptions } from './e2e-floor';
import type { FloorAnswer, FloorRequest } from './e2e-floor-process';

export interface FloorUnderTest {
  forwarder: RemoteFloorForwarder;
  echoAccountIds: string[];
  stop(): Promise<void>;
}

/** The floor forwarder running in its own process (e2e-floor-process.ts). */
export class RemoteFloorForwarder {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: FloorAnswer) => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (answer: FloorAnswer) => {
      if (answer.type !== 'done') return;
      this.waiting.get(answer.id)?.(answer);
      this.waiting.delete(answer.id);
    });
  }

  static async start(options: FloorOptions): Promise<RemoteFloorForwarder> {
    const child = fork(require.resolve('./e2e-floor-process'), [], {
      execArgv: ['--require', require.resolve('../test/support/ts-register.js')],
      env: { ...process.env, BENCH_FLOOR_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`floor process exited (${code})`)));
      child.on('message', (answer: FloorAnswer) => {
        if (answer.type === 'ready') resolve(answer.url);
      });
    });
    return new RemoteFloorForwarder(child, url);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  webhookUrl(echoAccountId: string): string {
    return `${this.url}/echo/${echoAccountId}`;
  }

  async add(account: FloorAccount): Promise<void> {
    await this.request((id) => ({ type: 'add', id, account }));
  }

  /** Publishes HubSpot did not accept (the webhook then answered 502). */
  async rejected(): Promise<number> {
    const answer = await this.request((id) => ({ type: 'rejected', id }));
    return answer.type === 'done' ? (answer.rejected ?? 0) : 0;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' } satisfies FloorRequest);
    await exited;
  }

  private request(build: (id: number) => FloorRequest): Promise<FloorAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send(build(id));
    });
  }
}

export async function startFloor(
  harness: SimHarness,
  platform: EchoPlatform,
  accounts: number,
): Promise<FloorUnderTest> {
  const { sim, kit } = harness;
  const { portalId, inboxes } = await harness.install();
  const helpDesk = inboxes.find((inbox) => inbox.type === 'HELP_DESK') ?? inboxes[0];
  const channel = await kit.client.channels.create({
    name: 'Bench floor',
    capabilities: {
      deliveryIdentifierTypes: ['CHANNEL_SPECIFIC_OPAQUE_ID'],
      threadingModel: 'INTEGRATION_THREAD_ID',
    },
  });
  const forwarder = await RemoteFloorForwarder.start({
    hubspotBaseUrl: sim.baseUrl,
    channelId: channel.id,
    accessToken: await kit.tokens.getAccessToken(portalId),
  });
  const portal = kit.client.forPortal(portalId);
  const echoAccountIds: string[] = [];
  for (let i = 0; i < accounts; i++) {
    const bot = platform.createAccount({ name: `Floor bot ${i}` });
    const account = await portal.channelAccounts.create(channel.id, {
      inboxId: helpDesk.id,
      name: bot.name,
      authorized: true,
      deliveryIdentifier: { type: 'CHANNEL_SPECIFIC_OPAQUE_ID', value: bot.id },
    });
    const webhookSecret = randomBytes(16).toString('hex');
    await forwarder.add({
      echoAccountId: bot.id,
      botId: bot.id,
      webhookSecret,
      hubspotChannelAccountId: account.id,
    });
    platform.setWebhook(bot.token, { url: forwarder.webhookUrl(bot.id), secret: webhookSecret });
    echoAccountIds.push(bot.id);
  }
  return { forwarder, echoAccountIds, stop: () => forwarder.stop() };
}

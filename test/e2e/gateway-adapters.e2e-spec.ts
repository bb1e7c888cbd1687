import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EchoPlatformServer } from '../../plugins/echo/echo-platform-server';
import { EchoControlClient } from '../../plugins/echo/test/echo-control.client';
import { ChannelAccountRepository } from '../../src/core/persistence/repositories/channel-account.repository';
import { JobQueue } from '../../src/core/queue/job-queue';
import { INBOUND_QUEUE, type InboundJob } from '../../src/core/pipeline/queues';
import type { GatewayHealth } from '../../src/core/observability/health.service';
import { eventually, startTestGateway, type TestGateway } from '../support/test-gateway';

jest.setTimeout(60_000);

async function health(gateway: TestGateway): Promise<{ status: number; body: GatewayHealth }> {
  const response = await fetch(`${gateway.url}/health`);
  return { status: response.status, body: (await response.json()) as GatewayHealth };
}

describe('gateway with the echo plugin', () => {
  let platform: EchoPlatformServer;
  let control: EchoControlClient;
  let gateway: TestGateway;
  let accountId: string;
  let echoAccountId: string;
  const received: InboundJob[] = [];

  beforeAll(async () => {
    platform = new EchoPlatformServer();
    const platformUrl = await platform.start();
    control = new EchoControlClient(platformUrl);
    const echoAccount = await control.createAccount('Support bot');
    echoAccountId = echoAccount.id;

    // First start: create the channel account the way the connection flow will.
    const cwd = mkdtempSync(join(tmpdir(), 'gw-adapters-'));
    const yaml = `adapters:\n  echo:\n    platformUrl: ${platformUrl}\n`;
    const first = await startTestGateway({ cwd, yaml });
    const account = await first.app.get(ChannelAccountRepository).create({
      adapterId: 'echo',
      name: 'Support bot',
      credentials: { token: echoAccount.token },
      status: 'active',
    });
    accountId = account.id;
    await first.app.get(ChannelAccountRepository).setAuthorized(accountId, true);
    await first.close();

    // Second start: the supervisor finds the account and starts receiving.
    gateway = await startTestGateway({ cwd, yaml });
    // The account is not connected to HubSpot, so the inbound pipeline keeps its events waiting:
    // what was queued is observed at the queue's door.
    const queue = gateway.app.get(JobQueue);
    const enqueue = queue.enqueue.bind(queue);
    jest.spyOn(queue, 'enqueue').mockImplementation(async (name, payload, options) => {
      const id = await enqueue(name, payload, options);
      if (name === INBOUND_QUEUE) received.push(payload as InboundJob);
      return id;
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await platform?.stop();
  });

  it('starts receiving for active accounts and reports them on /health', async () => {
    const report = await eventually(async () => {
      const { body } = await health(gateway);
      return body.adapters[0]?.accounts[0]?.state === 'receiving' ? body : undefined;
    });
    expect(report.status).toBe('ok');
    expect(report.adapters).toEqual([
      {
        id: 'echo',
        state: 'running',
        accounts: [{ id: accountId, name: 'Support bot', state: 'receiving', warnings: [] }],
      },
    ]);
  });

  it('queues a customer message that arrived through the signed platform webhook', async () => {
    await control.post(`/control/accounts/${echoAccountId}/customer/messages`, {
      customer: { id: 'customer-1', name: 'Ada' },
      text: 'Hello from the customer',
    });
    const job = await eventually(() => received.find((j) => j.event.type === 'message'));
    expect(job).toMatchObject({
      adapterId: 'echo',
      accountId,
      event: { type: 'message', text: 'Hello from the customer', sender: { id: 'customer-1' } },
    });
  });

  it('answers 401 to a platform webhook with a bad signature and queues nothing', async () => {
    const before = received.length;
    const response = await fetch(`${gateway.url}/adapters/echo/${accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-echo-signature': 'sha256=00' },
      body: JSON.stringify({ update_id: 999, message: { text: 'forged' } }),
    });
    expect(response.status).toBe(401);
    await new Promise((done) => setTimeout(done, 200));
    expect(received.length).toBe(before);
  });

  it('answers 404 for an unknown account', async () => {
    const response = await fetch(`${gateway.url}/adapters/echo/no-such-account`, {
      method: 'POST',
    });
    expect(response.status).toBe(404);
  });

  it('exposes queue and adapter counters on /metrics', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/gateway_jobs_enqueued_total\{queue="inbound"\} [1-9]/);
    expect(text).toContain('gateway_adapter_up{adapter="echo"} 1');
    expect(text).toMatch(
      /gateway_adapter_events_total\{adapter="echo",direction="inbound",outcome="accepted"\} [1-9]/,
    );
  });

  it('never logs the account token', () => {
    const token = JSON.stringify(gateway.logs());
    expect(token).not.toMatch(/echo_[A-Za-z0-9_-]{8,}/);
  });
});

describe('a plugin that throws when it starts', () => {
  it('is reported failed on /health and does not take the gateway down', async () => {
    const pluginsDir = mkdtempSync(join(tmpdir(), 'gw-plugins-'));
    mkdirSync(join(pluginsDir, 'exploding'));
    writeFileSync(
      join(pluginsDir, 'exploding', 'index.js'),
      `exports.plugin = { manifest: { id: 'exploding' }, createAdapter() { throw new Error('cannot reach the platform'); } };`,
    );
    const gateway = await startTestGateway({ yaml: 'adapters:\n  exploding:\n', pluginsDir });
    try {
      const { status, body } = await health(gateway);
      expect(status).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.adapters).toEqual([
        { id: 'exploding', state: 'failed', error: 'cannot reach the platform', accounts: [] },
      ]);
      expect(body.database.status).toBe('ok');
    } finally {
      await gateway.close();
    }
  });
});

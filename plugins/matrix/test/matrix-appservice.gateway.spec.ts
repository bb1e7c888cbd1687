/**
 * Appservice mode inside a whole gateway (SQLite, embedded queue, the real webhook route): the
 * homeserver simulator pushes transactions to `${PUBLIC_URL}/adapters/matrix/<accountId>`, and
 * every event the adapter hands to the gateway's inbound sink is counted — also across a restart, with
 * transactions the homeserver redelivers and one it kept while the gateway was down.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayHealth } from '../../../src/core/observability/health.service';
import type { InboundJob } from '../../../src/core/pipeline/queues';
import { ChannelAccountRepository } from '../../../src/core/persistence/repositories/channel-account.repository';
import { InboundEventSink } from '../../../src/core/plugins/account-context.factory';
import { AdapterSupervisor } from '../../../src/core/plugins/adapter-supervisor';
import { eventually, startTestGateway, type TestGateway } from '../../../test/support/test-gateway';
import {
  startMatrixSimulator,
  type MatrixSimulator,
  type TransactionRecord,
} from '../../../test/simulators/matrix';
import { appserviceUrl, buildRegistration, newToken } from '../matrix-registration';
import { ForwardingProxy } from '../../../test/support/forwarding-proxy';

jest.setTimeout(60_000);

const YAML = 'adapters:\n  matrix:\n    mode: appservice\n    autoJoin: true\n';
const BOT = '@_hubspot_bot:localhost';

describe('Matrix appservice mode in the gateway', () => {
  let sim: MatrixSimulator;
  let gateway: TestGateway;
  let accountId: string;
  let roomId: string;
  let customer: string;
  const cwd = mkdtempSync(join(tmpdir(), 'gw-matrix-as-'));
  const env: NodeJS.ProcessEnv = {};
  // Each test gateway listens on a new port; the proxy keeps PUBLIC_URL stable across restarts.
  const proxy = new ForwardingProxy();
  const received: InboundJob[] = [];
  const registration = buildRegistration({
    id: 'hubspot-gateway',
    url: null,
    asToken: newToken(),
    hsToken: newToken(),
    prefix: '_hubspot_',
    serverName: 'localhost',
  });

  const texts = (text: string) =>
    received.filter((job) => job.event.type === 'message' && job.event.text === text);

  /** Starts the gateway on the same port and database every time, collecting inbound jobs. */
  const start = async () => {
    gateway = await startTestGateway({ cwd, yaml: YAML, env });
    proxy.target = gateway.url;
    // Every event an adapter emits passes the sink (which queues it, or drops a duplicate).
    const sink = gateway.app.get(InboundEventSink);
    const accept = sink.accept.bind(sink);
    sink.accept = async (account, event) => {
      received.push({ adapterId: account.adapterId, accountId: account.id, event });
      await accept(account, event);
    };
    await eventually(async () => {
      const health = (await (await fetch(`${gateway.url}/health`)).json()) as GatewayHealth;
      return health.adapters[0]?.accounts[0]?.state === 'receiving' ? true : undefined;
    });
  };

  /** What a homeserver does when it resends a transaction. */
  const redeliver = (txn: TransactionRecord) =>
    fetch(
      `${appserviceUrl(env.PUBLIC_URL ?? '', accountId)}/_matrix/app/v1/transactions/${txn.txnId}`,
      {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${registration.hs_token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(txn.body),
      },
    );

  beforeAll(async () => {
    sim = await startMatrixSimulator({
      serverName: 'localhost',
      appservicePush: { initialBackoffMs: 50, maxBackoffMs: 500 },
    });
    // Step 1 of the operator's setup: the registration without url, the account connected.
    sim.registerAppservice(registration);
    env.PUBLIC_URL = await proxy.start();
    const first = await startTestGateway({ cwd, yaml: YAML, env });
    const account = await first.app.get(ChannelAccountRepository).create({
      adapterId: 'matrix',
      name: 'Support',
      credentials: {
        homeserverUrl: sim.baseUrl,
        accessToken: registration.as_token,
        hsToken: registration.hs_token,
      },
      status: 'active',
    });
    accountId = account.id;
    await first.app.get(ChannelAccountRepository).setAuthorized(accountId, true);
    await first.close();
    // Step 2: the registration's url is the account's webhook URL.
    sim.registerAppservice({
      ...registration,
      url: appserviceUrl(env.PUBLIC_URL ?? '', accountId),
    });
    await start();
    customer = sim.createUser({ user: 'gwcustomer', displayName: 'Gina Customer' }).userId;
    roomId = sim.createRoom({ creator: customer, isDirect: true, invite: [BOT] }).roomId;
    await eventually(() => (sim.roomSummary(roomId).members[BOT] === 'join' ? true : undefined));
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy.stop();
    await sim?.close();
  });

  it('queues a customer message pushed by the homeserver once; a redelivered transaction adds nothing', async () => {
    sim.sendText(roomId, customer, 'hello gateway');
    await eventually(() => (texts('hello gateway').length ? true : undefined));
    await sim.waitForTransactions(3000);
    const txn = sim
      .transactions('hubspot-gateway')
      .find((t) => JSON.stringify(t.body).includes('hello gateway'));
    expect(txn?.delivered).toBe(true);
    const response = await redeliver(txn as TransactionRecord);
    expect(response.status).toBe(200);
    await new Promise((done) => setTimeout(done, 300));
    expect(texts('hello gateway')).toHaveLength(1);
    expect(texts('hello gateway')[0]).toMatchObject({
      adapterId: 'matrix',
      accountId,
      event: { conversation: { externalId: roomId }, sender: { id: customer } },
    });
  });

  it('keeps what the homeserver pushed while the gateway was down, and remembers transactions across the restart', async () => {
    const before = sim.transactions('hubspot-gateway').filter((t) => t.delivered);
    await gateway.close();
    sim.sendText(roomId, customer, 'while the gateway restarts');
    await new Promise((done) => setTimeout(done, 300));
    const pending = sim.transactions('hubspot-gateway').filter((t) => !t.delivered);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending[0].attempts.length).toBeGreaterThan(0);

    await start();
    await eventually(() => (texts('while the gateway restarts').length ? true : undefined));
    for (const txn of before) expect((await redeliver(txn)).status).toBe(200);
    await new Promise((done) => setTimeout(done, 300));
    expect(texts('while the gateway restarts')).toHaveLength(1);
    expect(texts('hello gateway')).toHaveLength(1);
  });

  it('sends agent replies as the registration sender user', async () => {
    const supervisor = gateway.app.get(AdapterSupervisor);
    const adapter = supervisor.getAdapter('matrix');
    const context = supervisor.getAccountContext(accountId);
    if (!adapter || !context) throw new Error('the matrix account is not receiving');
    const { externalMessageIds } = await adapter.send(context, {
      idempotencyKey: 'gw-reply-1',
      conversation: { externalId: roomId },
      text: 'Hello from the agent',
      attachments: [],
    });
    const sent = sim.events(roomId).find((e) => e.event.event_id === externalMessageIds[0]);
    expect(sent).toMatchObject({
      source: 'appservice',
      event: { sender: BOT, content: { body: 'Hello from the agent' } },
    });
    // The homeserver pushes the bot's own event back; it is not queued as a customer message.
    await sim.waitForTransactions(3000);
    expect(texts('Hello from the agent')).toHaveLength(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { InboundEvent } from '../../../src/core/adapter';
import { InMemoryAccountContext, RecordingLogger, WebhookRelay } from '../../../test/conformance';
import { startMatrixSimulator, type MatrixSimulator } from '../../../test/simulators/matrix';
import { DONE_TXNS_KEY } from '../matrix-appservice';
import { MatrixAdapter } from '../matrix.adapter';
import { MatrixSettings } from '../matrix.settings';

const AS_TOKEN = 'as_token_0123456789';
const HS_TOKEN = 'hs_token_0123456789';
const BOT = '@_hubspot_bot:localhost';
const hasText = (text: string) => (e: InboundEvent) => e.type === 'message' && e.text === text;

describe('Matrix adapter, appservice mode', () => {
  let sim: MatrixSimulator;
  let relay: WebhookRelay;
  let adapter: MatrixAdapter;
  let context: InMemoryAccountContext;
  let roomId: string;
  const customer = '@ascustomer:localhost';

  beforeAll(async () => {
    sim = await startMatrixSimulator({ serverName: 'localhost' });
    const settings = Object.assign(new MatrixSettings(), { mode: 'appservice' });
    adapter = new MatrixAdapter({ settings, publicUrl: 'http://x', logger: new RecordingLogger() });
    relay = new WebhookRelay('matrix', () => adapter);
    await relay.start();
    context = new InMemoryAccountContext({
      accountId: 'as-1',
      credentials: { homeserverUrl: sim.baseUrl, accessToken: AS_TOKEN, hsToken: HS_TOKEN },
      settings: {},
      webhookUrl: relay.webhookUrl('as-1'),
    });
    relay.register(context);
    sim.registerAppservice({
      id: 'gateway',
      url: context.webhookUrl,
      as_token: AS_TOKEN,
      hs_token: HS_TOKEN,
      sender_localpart: '_hubspot_bot',
      namespaces: { users: [{ regex: '@_hubspot_.*:localhost', exclusive: true }] },
      rate_limited: false,
      receive_ephemeral: true,
    });
    sim.createUser({ user: 'ascustomer', displayName: 'AS Customer' });
    await adapter.startReceiving(context);
    roomId = sim.createRoom({ creator: customer, isDirect: true, invite: [BOT] }).roomId;
    const end = Date.now() + 3000;
    while (sim.roomSummary(roomId).members[BOT] !== 'join') {
      if (Date.now() > end) throw new Error('the appservice bot did not join');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  afterAll(async () => {
    await adapter.shutdown();
    await relay.stop();
    await sim.close();
  });

  it('only has handleWebhook in appservice mode', () => {
    const bot = new MatrixAdapter({
      settings: new MatrixSettings(),
      publicUrl: 'http://x',
      logger: new RecordingLogger(),
    });
    expect(bot.handleWebhook).toBeUndefined();
    expect(adapter.handleWebhook).toBeDefined();
  });

  it('validates as_token credentials (whoami of the sender user)', async () => {
    const identity = await adapter.validateCredentials(context.credentials);
    expect(identity.deliveryIdentifier.value).toBe(BOT);
  });

  it('receives pushed messages, sends as the bot and reports read receipts', async () => {
    sim.sendText(roomId, customer, 'hello appservice');
    const message = await context.waitForEvent(hasText('hello appservice'), { timeoutMs: 3000 });
    expect(message).toMatchObject({
      conversation: { externalId: roomId },
      sender: { id: customer },
    });
    const { externalMessageIds } = await adapter.send(context, {
      idempotencyKey: 'as-reply-1',
      conversation: { externalId: roomId },
      text: 'hi from the agent',
      attachments: [],
    });
    sim.sendReceipt(roomId, customer, externalMessageIds[0]);
    const read = await context.waitForEvent((e) => e.type === 'read', { timeoutMs: 3000 });
    expect(read).toMatchObject({ externalMessageIds });
    expect(context.emitted.filter((e) => e.type === 'read')).toHaveLength(1);
    expect(context.emitted.filter(hasText('hi from the agent'))).toHaveLength(0);
  });

  it('a repeated txnId is acknowledged without emitting again', async () => {
    sim.sendText(roomId, customer, 'once per txn');
    await context.waitForEvent(hasText('once per txn'), { timeoutMs: 3000 });
    await sim.waitForTransactions(3000);
    const done = (await context.state.get<string[]>(DONE_TXNS_KEY)) ?? [];
    const last = sim.transactions('gateway').find((t) => t.txnId === done[done.length - 1]);
    expect(last).toBeDefined();
    const before = context.emitted.length;
    const response = await fetch(
      `${context.webhookUrl}/_matrix/app/v1/transactions/${last?.txnId}`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${HS_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(last?.body),
      },
    );
    expect(response.status).toBe(200);
    await context.eventsDuring(200);
    expect(context.emitted.length).toBe(before);
  });

  it('a failed emit answers 500 and the homeserver retries the same transaction', async () => {
    const emit = context.emit.bind(context);
    let failures = 1;
    context.emit = async (event) => {
      if (failures-- > 0) throw new Error('database down');
      await emit(event);
    };
    sim.sendText(roomId, customer, 'retried');
    await context.waitForEvent(hasText('retried'), { timeoutMs: 5000 });
    context.emit = emit;
    await sim.waitForTransactions(3000);
    const txn = sim.transactions('gateway').find((t) => t.attempts.length > 1);
    expect(txn?.attempts[0]).toMatchObject({ status: 500 });
  });

  it('rejects a wrong or missing hs_token with 401 and no side effects', async () => {
    for (const headers of [{ authorization: 'Bearer wrong' }, {}] as Record<string, string>[]) {
      const response = await fetch(`${context.webhookUrl}/_matrix/app/v1/transactions/forged`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [] }),
      });
      expect(response.status).toBe(401);
    }
    expect(await context.state.get<string[]>(DONE_TXNS_KEY)).not.toContain('forged');
  });
});

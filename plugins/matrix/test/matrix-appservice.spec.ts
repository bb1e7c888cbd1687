import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AdapterWebhookRequest, InboundEvent } from '../../../src/core/adapter';
import {
  InMemoryAccountContext,
  InMemoryStateStore,
  RecordingLogger,
  WebhookRelay,
} from '../../../test/conformance';
import { startMatrixSimulator, type MatrixSimulator } from '../../../test/simulators/matrix';
import { DONE_TXNS_KEY } from '../matrix-appservice';
import { ENCRYPTED_NOTICE } from '../matrix-room-info';
import { MatrixAdapter } from '../matrix.adapter';
import { MatrixSettings } from '../matrix.settings';

const AS_TOKEN = 'as_token_0123456789';
const HS_TOKEN = 'hs_token_0123456789';
const BOT = '@_hubspot_bot:localhost';
const hasText = (text: string) => (e: InboundEvent) => e.type === 'message' && e.text === text;

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
    await until(() => sim.roomSummary(roomId).members[BOT] === 'join');
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

  it('refuses password login and a missing hs_token in appservice mode, before any request', async () => {
    const before = sim.requests().length;
    await expect(
      adapter.validateCredentials({
        homeserverUrl: sim.baseUrl,
        userId: '@ascustomer:localhost',
        password: 'pw',
        hsToken: HS_TOKEN,
      }),
    ).rejects.toThrow(/as_token/);
    await expect(
      adapter.validateCredentials({ homeserverUrl: sim.baseUrl, accessToken: AS_TOKEN }),
    ).rejects.toThrow(/hs_token/);
    expect(sim.requests().length).toBe(before);
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

  it('refuses an encrypted room as soon as it joined it (its earlier state is never pushed)', async () => {
    const encrypted = sim.createRoom({
      creator: customer,
      isDirect: true,
      invite: [BOT],
      encrypted: true,
    }).roomId;
    const notice = await sim.waitForEvent(
      encrypted,
      (e) => e.event.sender === BOT && e.event.type === 'm.room.message',
      3000,
    );
    expect(notice.event.content).toEqual({ msgtype: 'm.notice', body: ENCRYPTED_NOTICE });
    expect(context.warnings.some((warning) => warning.includes(encrypted))).toBe(true);
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

  it('answers a missing hs_token 401 M_MISSING_TOKEN and a wrong one 403 M_FORBIDDEN', async () => {
    const put = (headers: Record<string, string>, query = '') =>
      fetch(`${context.webhookUrl}/_matrix/app/v1/transactions/forged${query}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [] }),
      });
    const before = context.state.snapshot();
    const missing = await put({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
    for (const [headers, query] of [
      [{ authorization: 'Bearer wrong' }, ''],
      [{}, '?access_token=wrong'],
      // Both forms given: both must match (spec, "Authorization").
      [{ authorization: `Bearer ${HS_TOKEN}` }, '?access_token=wrong'],
      [{ authorization: 'Bearer wrong' }, `?access_token=${HS_TOKEN}`],
    ] as [Record<string, string>, string][]) {
      const response = await put(headers, query);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ errcode: 'M_FORBIDDEN' });
    }
    expect(context.state.snapshot()).toEqual(before);
    const legacy = await put({}, `?access_token=${HS_TOKEN}`);
    expect(legacy.status).toBe(200);
  });

  it('answers ping, user/alias queries and unknown paths per the spec', async () => {
    const call = (method: string, path: string) =>
      fetch(`${context.webhookUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${HS_TOKEN}`, 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
    expect((await call('POST', '/_matrix/app/v1/ping')).status).toBe(200);
    const user = await call('GET', '/_matrix/app/v1/users/%40_hubspot_x%3Alocalhost');
    expect(user.status).toBe(404);
    expect(await user.json()).toMatchObject({ errcode: 'M_NOT_FOUND' });
    const unknown = await call('GET', '/_matrix/app/v1/thirdparty/protocol/x');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ errcode: 'M_UNRECOGNIZED' });
    expect((await call('POST', '/_matrix/app/v1/transactions/1')).status).toBe(405);
    // The homeserver's own ping (POST /_matrix/client/v1/appservice/{id}/ping) reaches us too.
    const ping = await fetch(`${sim.baseUrl}/_matrix/client/v1/appservice/gateway/ping`, {
      method: 'POST',
      headers: { authorization: `Bearer ${AS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ transaction_id: 'gw-ping-1' }),
    });
    expect(ping.status).toBe(200);
  });

  it('sends as the sender_localpart user, through the as_token', async () => {
    const { externalMessageIds } = await adapter.send(context, {
      idempotencyKey: 'as-reply-sender',
      conversation: { externalId: roomId },
      text: 'who sends this?',
      attachments: [],
    });
    const sent = sim.events(roomId).find((e) => e.event.event_id === externalMessageIds[0]);
    expect(sent).toMatchObject({ source: 'appservice', event: { sender: BOT } });
  });

  it('concurrent deliveries of one transaction emit once', async () => {
    const event = {
      type: 'm.room.message',
      event_id: '$concurrent-1',
      room_id: roomId,
      sender: customer,
      origin_server_ts: Date.now(),
      content: { msgtype: 'm.text', body: 'concurrent retry' },
    };
    const put = () =>
      fetch(`${context.webhookUrl}/_matrix/app/v1/transactions/concurrent-1`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${HS_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [event] }),
      });
    const answers = await Promise.all([put(), put(), put()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await context.eventsDuring(100);
    expect(context.emitted.filter(hasText('concurrent retry'))).toHaveLength(1);
  });
});

describe('Matrix adapter, appservice mode across a restart', () => {
  let sim: MatrixSimulator;
  let relay: WebhookRelay;
  let adapter: MatrixAdapter;
  const state = new InMemoryStateStore();
  const credentials = { homeserverUrl: '', accessToken: 'as_restart', hsToken: 'hs_restart' };
  const newAdapter = (autoJoin = true) =>
    new MatrixAdapter({
      settings: Object.assign(new MatrixSettings(), { mode: 'appservice', autoJoin }),
      publicUrl: 'http://x',
      logger: new RecordingLogger(),
    });
  const newContext = () => {
    const context = new InMemoryAccountContext({
      accountId: 'as-restart',
      credentials,
      settings: {},
      webhookUrl: relay.webhookUrl('as-restart'),
      state,
    });
    relay.register(context);
    return context;
  };

  beforeAll(async () => {
    sim = await startMatrixSimulator({ serverName: 'localhost' });
    credentials.homeserverUrl = sim.baseUrl;
    relay = new WebhookRelay('matrix', () => adapter);
    await relay.start();
  });
  afterAll(async () => {
    await adapter?.shutdown();
    await relay.stop();
    await sim.close();
  });

  it('does not emit a transaction again after a restart, and holds events while stopped', async () => {
    adapter = newAdapter();
    let context = newContext();
    sim.registerAppservice({
      id: 'restart',
      url: context.webhookUrl,
      as_token: credentials.accessToken,
      hs_token: credentials.hsToken,
      sender_localpart: '_restart_bot',
      namespaces: { users: [{ regex: '@_restart_.*:localhost', exclusive: true }] },
      rate_limited: false,
    });
    const customer = sim.createUser({ user: 'restartcustomer' }).userId;
    await adapter.startReceiving(context);
    const { roomId } = sim.createRoom({
      creator: customer,
      isDirect: true,
      invite: ['@_restart_bot:localhost'],
    });
    await until(() => sim.roomSummary(roomId).members['@_restart_bot:localhost'] === 'join');
    sim.sendText(roomId, customer, 'before the restart');
    await context.waitForEvent(hasText('before the restart'), { timeoutMs: 3000 });
    await sim.waitForTransactions(3000);
    const delivered = sim.transactions('restart').filter((t) => t.delivered);

    // Gateway down: the homeserver keeps the transaction and retries it.
    await adapter.stopReceiving('as-restart');
    await adapter.shutdown();
    sim.sendText(roomId, customer, 'while down');
    await context.eventsDuring(300);
    expect(context.emitted.filter(hasText('while down'))).toHaveLength(0);

    adapter = newAdapter();
    context = newContext();
    await adapter.startReceiving(context);
    await context.waitForEvent(hasText('while down'), { timeoutMs: 6000 });

    // The homeserver resends transactions the first process already acknowledged.
    for (const txn of delivered) {
      const response = await fetch(
        `${context.webhookUrl}/_matrix/app/v1/transactions/${txn.txnId}`,
        {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${credentials.hsToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(txn.body),
        },
      );
      expect(response.status).toBe(200);
    }
    await context.eventsDuring(200);
    expect(context.emitted.filter(hasText('before the restart'))).toHaveLength(0);
    expect(context.emitted.filter(hasText('while down'))).toHaveLength(1);
  });

  it('stopReceiving waits for the transaction in progress; nothing is emitted after it', async () => {
    adapter = newAdapter();
    const context = newContext();
    await adapter.startReceiving(context);
    const emit = context.emit.bind(context);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    context.emit = async (event) => {
      await gate;
      await emit(event);
    };
    const events = [1, 2].map((n) => ({
      type: 'm.room.message',
      event_id: `$slow-${n}`,
      room_id: '!slow:localhost',
      sender: '@someone:localhost',
      origin_server_ts: Date.now(),
      content: { msgtype: 'm.text', body: `slow ${n}` },
    }));
    const answer = fetch(`${context.webhookUrl}/_matrix/app/v1/transactions/slow-1`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${credentials.hsToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ events }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = adapter.stopReceiving('as-restart');
    release();
    await stopped;
    const after = context.emitted.length;
    expect((await answer).status).toBe(503);
    await context.eventsDuring(100);
    expect(context.emitted.length).toBe(after);
    expect(await state.get<string[]>(DONE_TXNS_KEY)).not.toContain('slow-1');
  });

  /** A homeserver transaction with one customer text, as the gateway hands it to handleWebhook. */
  const transaction = (txnId: string, text: string): AdapterWebhookRequest => ({
    method: 'PUT',
    subPath: `/_matrix/app/v1/transactions/${txnId}`,
    publicUrl: `http://x/adapters/matrix/as-restart/_matrix/app/v1/transactions/${txnId}`,
    headers: { authorization: `Bearer ${credentials.hsToken}`, 'content-type': 'application/json' },
    query: {},
    rawBody: Buffer.from(
      JSON.stringify({
        events: [
          {
            type: 'm.room.message',
            event_id: `$${txnId}`,
            room_id: '!standby:localhost',
            sender: '@someone:localhost',
            origin_server_ts: Date.now(),
            content: { msgtype: 'm.text', body: text },
          },
        ],
      }),
    ),
  });

  it('a process that does not receive for the account handles its transactions (standby), sharing the txn store', async () => {
    adapter = newAdapter();
    const receiving = newContext();
    await adapter.startReceiving(receiving);
    const other = newAdapter(); // another gateway process: never started for the account
    const standby = newContext();
    const handled = await other.handleWebhook?.(standby, transaction('standby-1', 'via standby'));
    expect(handled?.status).toBe(200);
    expect(standby.emitted.filter(hasText('via standby'))).toHaveLength(1);
    // The homeserver resends it and the load balancer picks the receiving process this time.
    const again = await adapter.handleWebhook?.(receiving, transaction('standby-1', 'via standby'));
    expect(again?.status).toBe(200);
    await receiving.eventsDuring(100);
    expect(receiving.emitted.filter(hasText('via standby'))).toHaveLength(0);
    await other.shutdown();
    await adapter.stopReceiving('as-restart');
  });

  it('after a handover it handles transactions in standby; after a plain stop it answers 503', async () => {
    adapter = newAdapter();
    const context = newContext();
    await adapter.startReceiving(context);
    await adapter.stopReceiving('as-restart', { handover: true });
    const handed = await adapter.handleWebhook?.(context, transaction('handover-1', 'handed over'));
    expect(handed?.status).toBe(200);
    expect(context.emitted.filter(hasText('handed over'))).toHaveLength(1);

    await adapter.startReceiving(context);
    await adapter.stopReceiving('as-restart');
    const stopped = await adapter.handleWebhook?.(context, transaction('stopped-1', 'stopped'));
    expect(stopped?.status).toBe(503);
    // A new context for the account (the gateway took it into standby again) is handled.
    const fresh = newContext();
    const later = await adapter.handleWebhook?.(fresh, transaction('stopped-1', 'stopped'));
    expect(later?.status).toBe(200);
    expect(fresh.emitted.filter(hasText('stopped'))).toHaveLength(1);
    expect(context.emitted.filter(hasText('stopped'))).toHaveLength(0);
    await adapter.shutdown();
  });

  it('does not join invited rooms with autoJoin: false', async () => {
    adapter = newAdapter(false);
    const context = newContext();
    await adapter.startReceiving(context);
    const customer = sim.createUser({ user: 'nojoincustomer' }).userId;
    const { roomId } = sim.createRoom({ creator: customer, invite: ['@_restart_bot:localhost'] });
    await sim.waitForTransactions(3000);
    await context.eventsDuring(100);
    expect(sim.roomSummary(roomId).members['@_restart_bot:localhost']).toBe('invite');
    await adapter.stopReceiving('as-restart');
  });
});

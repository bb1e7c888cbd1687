import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTelegramSimulator, type TelegramSimulator } from './index';
import { callApi } from './test-helpers';

interface Received {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** A webhook receiver on loopback that answers with the next queued status (200 when empty). */
async function startReceiver(statuses: number[], reply?: unknown) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      const status = statuses.shift() ?? 200;
      if (status === 200 && reply) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      } else res.writeHead(status).end();
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tg-hook`;
  const waitFor = async (count: number): Promise<void> => {
    while (received.length < count) await new Promise<void>((r) => waiters.push(r));
  };
  const close = (): Promise<void> =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return { url, received, waitFor, close };
}

describe('Telegram simulator: webhooks', () => {
  let sim: TelegramSimulator;
  let token: string;
  let chatId: number;

  beforeAll(async () => {
    sim = await startTelegramSimulator({
      rateLimits: false,
      webhook: { retryBaseMs: 50, retryMaxMs: 200, timeoutMs: 2000 },
    });
  });
  beforeEach(async () => {
    token = (await sim.createBot()).token;
    chatId = (await sim.createCustomer()).chat.id;
  });
  afterAll(() => sim.close());

  it('delivers updates as JSON POSTs with the secret token header', async () => {
    const receiver = await startReceiver([]);
    const set = await callApi(sim.baseUrl, token, 'setWebhook', {
      url: receiver.url,
      secret_token: 'S3cr3t_-token',
    });
    expect(set.body).toEqual({ ok: true, result: true, description: 'Webhook was set' });
    await sim.injectMessage(token, { chat_id: chatId, text: 'hello hook' });
    await receiver.waitFor(1);
    const [delivery] = receiver.received;
    expect(delivery.headers['x-telegram-bot-api-secret-token']).toBe('S3cr3t_-token');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.body).toMatchObject({
      update_id: expect.any(Number),
      message: { text: 'hello hook' },
    });
    const info = await callApi(sim.baseUrl, token, 'getWebhookInfo');
    expect(info.body.result).toMatchObject({ url: receiver.url, pending_update_count: 0 });
    await receiver.close();
  });

  it('retries while the receiver fails and reports the error in getWebhookInfo', async () => {
    const receiver = await startReceiver([500, 502]);
    await callApi(sim.baseUrl, token, 'setWebhook', { url: receiver.url });
    const { update } = await sim.injectMessage(token, { chat_id: chatId, text: 'retry me' });
    await receiver.waitFor(1);
    const failing = await callApi(sim.baseUrl, token, 'getWebhookInfo');
    expect(failing.body.result).toMatchObject({
      pending_update_count: 1,
      last_error_message: 'Wrong response from the webhook: 500 Internal Server Error',
      last_error_date: expect.any(Number),
    });
    await receiver.waitFor(3);
    expect(receiver.received.map((r) => r.body.update_id)).toEqual([
      update?.update_id,
      update?.update_id,
      update?.update_id,
    ]);
    const state = await sim.webhookState(token);
    expect(state.deliveries.map((d) => [d.status, d.ok])).toEqual([
      [500, false],
      [502, false],
      [200, true],
    ]);
    await new Promise((r) => setTimeout(r, 20));
    const after = await callApi(sim.baseUrl, token, 'getWebhookInfo');
    expect(after.body.result).toMatchObject({ pending_update_count: 0 });
    await receiver.close();
  });

  it('records connection errors for an unreachable receiver', async () => {
    const receiver = await startReceiver([]);
    const url = receiver.url;
    await receiver.close();
    await callApi(sim.baseUrl, token, 'setWebhook', { url });
    await sim.injectMessage(token, { chat_id: chatId, text: 'nobody home' });
    for (let i = 0; i < 50; i++) {
      const info = await callApi(sim.baseUrl, token, 'getWebhookInfo');
      if ((info.body.result as Record<string, unknown>).last_error_message) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const info = await callApi(sim.baseUrl, token, 'getWebhookInfo');
    expect(info.body.result).toMatchObject({
      pending_update_count: 1,
      last_error_message: 'Connection refused',
    });
    await callApi(sim.baseUrl, token, 'deleteWebhook', { drop_pending_updates: true });
    const cleared = await callApi(sim.baseUrl, token, 'getWebhookInfo');
    expect(cleared.body.result).toEqual({
      url: '',
      has_custom_certificate: false,
      pending_update_count: 0,
    });
  });

  it('validates setWebhook parameters and drops pending updates on request', async () => {
    const bad = await callApi(sim.baseUrl, token, 'setWebhook', {
      url: 'http://example.com/hook',
    });
    expect(bad.body.description).toBe(
      'Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
    );
    const secret = await callApi(sim.baseUrl, token, 'setWebhook', {
      url: 'https://example.com/hook',
      secret_token: 'no spaces!',
    });
    expect(secret.body.description).toBe('Bad Request: secret token contains unallowed characters');
    await sim.injectMessage(token, { chat_id: chatId, text: 'old' });
    await callApi(sim.baseUrl, token, 'setWebhook', {
      url: 'http://127.0.0.1:9/never',
      drop_pending_updates: true,
      allowed_updates: ['message'],
    });
    const info = await callApi(sim.baseUrl, token, 'getWebhookInfo');
    expect(info.body.result).toMatchObject({
      pending_update_count: 0,
      allowed_updates: ['message'],
    });
    const del = await callApi(sim.baseUrl, token, 'deleteWebhook');
    expect(del.body).toEqual({ ok: true, result: true, description: 'Webhook was deleted' });
  });

  it('executes a method call returned in the webhook response body', async () => {
    const receiver = await startReceiver([], {
      method: 'sendMessage',
      chat_id: chatId,
      text: 'answered inline',
    });
    await callApi(sim.baseUrl, token, 'setWebhook', { url: receiver.url });
    await sim.injectMessage(token, { chat_id: chatId, text: 'ping' });
    await receiver.waitFor(1);
    for (let i = 0; i < 50 && (await sim.sentMessages(token)).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const [sent] = await sim.sentMessages(token, chatId);
    expect(sent.messages[0]).toMatchObject({ text: 'answered inline' });
    await receiver.close();
  });
});

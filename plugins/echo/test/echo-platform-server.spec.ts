import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EchoPlatformServer } from '../echo-platform-server';
import { verifyEchoWebhook } from '../echo-webhook-signature';
import { EchoControlClient } from './echo-control.client';

/** A webhook receiver that records signed bodies and answers with a settable status. */
class Receiver {
  readonly bodies: unknown[] = [];
  status = 200;
  private server?: Server;

  async start(secret: string): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const signature = request.headers['x-echo-signature'] as string | undefined;
        if (!verifyEchoWebhook(secret, body, signature)) return response.writeHead(401).end();
        if (this.status === 200) this.bodies.push(JSON.parse(body.toString()));
        response.writeHead(this.status).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe(EchoPlatformServer.name, () => {
  const sut = new EchoPlatformServer();
  const receiver = new Receiver();
  let control: EchoControlClient;
  let hookUrl: string;

  beforeAll(async () => {
    control = new EchoControlClient(await sut.start());
    hookUrl = await receiver.start('s3cret');
  });
  afterAll(async () => {
    await receiver.stop();
    await sut.stop();
  });

  const bot = (token: string, method: string, path: string, body?: unknown) =>
    fetch(sut.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('answers an unknown token with 401 in the error envelope', async () => {
    const response = await bot('echo_nobody_here', 'GET', '/bot/me');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      ok: false,
      error: 'invalid_token',
      description: 'the token is not valid',
    });
  });

  it('keeps customer messages pending until a webhook is set, then delivers them signed', async () => {
    const account = await control.createAccount('Shop');
    const sent = await control.post(`/control/accounts/${account.id}/customer/messages`, {
      text: 'first',
    });
    expect(sent).toMatchObject({ delivered: false, chat_id: 'chat-customer-1' });
    await bot(account.token, 'PUT', '/bot/webhook', { url: hookUrl, secret: 's3cret' });
    await control.post(`/control/accounts/${account.id}/flush`, {});
    expect(receiver.bodies).toContainEqual(
      expect.objectContaining({
        type: 'message',
        message: expect.objectContaining({ text: 'first' }),
      }),
    );
  });

  it("puts the customer's phone and email on the update and remembers them for later messages", async () => {
    const account = await control.createAccount('Phones');
    await bot(account.token, 'PUT', '/bot/webhook', { url: hookUrl, secret: 's3cret' });
    const customer = { id: 'c-9', name: 'Ana', phone: '+14155550100', email: 'ana@example.com' };
    const first = await control.post<{ update: { message: { from: unknown } } }>(
      `/control/accounts/${account.id}/customer/messages`,
      { customer, text: 'first' },
    );
    expect(first.update.message.from).toEqual(customer);
    const later = await control.post<{ update: { message: { from: unknown } } }>(
      `/control/accounts/${account.id}/customer/messages`,
      { customer: { id: 'c-9' }, text: 'again' },
    );
    expect(later.update.message.from).toEqual(customer);
    expect(receiver.bodies).toContainEqual(
      expect.objectContaining({
        type: 'message',
        message: expect.objectContaining({ text: 'again', from: customer }),
      }),
    );
    const other = await control.createAccount('Elsewhere');
    const elsewhere = await control.post<{ update: { message: { from: unknown } } }>(
      `/control/accounts/${other.id}/customer/messages`,
      { customer: { id: 'c-9' }, text: 'who?' },
    );
    expect(elsewhere.update.message.from).toEqual({ id: 'c-9', name: 'Echo Customer' });
  });

  it.each([
    [{ phone: '004915112345678' }, /E\.164/],
    [{ phone: '+49 151 12345678' }, /E\.164/],
    [{ email: 'not-an-email' }, /email/],
  ])('refuses a customer with %j', async (fields, reason) => {
    const account = await control.createAccount();
    const response = await fetch(`${sut.url}/control/accounts/${account.id}/customer/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer: { id: 'c-1', ...fields }, text: 'hi' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; description: string };
    expect(body.error).toBe('bad_request');
    expect(body.description).toMatch(reason);
  });

  it('retries an update the webhook refused at the next flush', async () => {
    const account = await control.createAccount();
    await bot(account.token, 'PUT', '/bot/webhook', { url: hookUrl, secret: 's3cret' });
    receiver.status = 503;
    const refused = await control.post<{ delivered: boolean; update: { update_id: number } }>(
      `/control/accounts/${account.id}/customer/messages`,
      { text: 'later' },
    );
    expect(refused.delivered).toBe(false);
    receiver.status = 200;
    expect(await control.post(`/control/accounts/${account.id}/flush`, {})).toEqual({
      delivered: true,
    });
    expect(receiver.bodies).toContainEqual(
      expect.objectContaining({ update_id: refused.update.update_id }),
    );
  });

  it('answers an injected rate limit with 429, Retry-After and retry_after', async () => {
    const account = await control.createAccount();
    await control.post(`/control/accounts/${account.id}/customer/messages`, { text: 'hi' });
    await control.post(`/control/accounts/${account.id}/faults`, {
      type: 'rate_limited',
      retry_after_seconds: 7,
    });
    const body = { chat_id: 'chat-customer-1', text: 'x' };
    const limited = await bot(account.token, 'POST', '/bot/messages', body);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ error: 'rate_limited', retry_after: 7 });
    expect((await bot(account.token, 'POST', '/bot/messages', body)).status).toBe(200);
  });

  it('answers a repeated idempotency key with the same message', async () => {
    const account = await control.createAccount();
    await control.post(`/control/accounts/${account.id}/customer/messages`, { text: 'hi' });
    const body = { chat_id: 'chat-customer-1', text: 'once', idempotency_key: 'k1' };
    const first = await (await bot(account.token, 'POST', '/bot/messages', body)).json();
    const again = await (await bot(account.token, 'POST', '/bot/messages', body)).json();
    expect(again).toEqual(first);
    expect(await control.sent(account.id)).toHaveLength(1);
  });

  it('refuses text over the limit', async () => {
    const account = await control.createAccount();
    await control.post(`/control/accounts/${account.id}/customer/messages`, { text: 'hi' });
    const response = await bot(account.token, 'POST', '/bot/messages', {
      chat_id: 'chat-customer-1',
      text: 'x'.repeat(2001),
    });
    expect(response.status).toBe(400);
  });

  it('serves uploaded files with their name and type', async () => {
    const account = await control.createAccount();
    const upload = await fetch(`${sut.url}/bot/files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${account.token}`,
        'content-type': 'application/pdf',
        'x-file-name': encodeURIComponent('отчёт.pdf'),
      },
      body: Buffer.from('%PDF-1.4'),
    });
    const { file_id } = (await upload.json()) as { file_id: string };
    const file = await fetch(`${sut.url}/bot/files/${file_id}`, {
      headers: { authorization: `Bearer ${account.token}` },
    });
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('отчёт.pdf'));
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.4');
    const other = await control.createAccount();
    const foreign = await fetch(`${sut.url}/bot/files/${file_id}`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(foreign.status).toBe(404);
  });

  it('reports each business message read once', async () => {
    const account = await control.createAccount();
    await control.post(`/control/accounts/${account.id}/customer/messages`, { text: 'hi' });
    const send = (text: string) =>
      bot(account.token, 'POST', '/bot/messages', { chat_id: 'chat-customer-1', text }).then(
        (r) => r.json() as Promise<{ message_id: string }>,
      );
    const a = await send('a');
    const b = await send('b');
    const read = await control.post(`/control/accounts/${account.id}/customer/reads`, {
      chat_id: 'chat-customer-1',
      up_to_message_id: b.message_id,
    });
    expect(read.update).toMatchObject({
      type: 'read',
      read: { message_ids: [a.message_id, b.message_id] },
    });
    await expect(
      control.post(`/control/accounts/${account.id}/customer/reads`, {
        chat_id: 'chat-customer-1',
        up_to_message_id: b.message_id,
      }),
    ).rejects.toThrow(/400/);
    expect((await control.sent(account.id)).every((m) => m.read)).toBe(true);
  });
});

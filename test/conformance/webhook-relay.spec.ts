import type { ChannelAdapter } from '../../src/core/adapter';
import { withoutAuthHeaders } from './checks/webhook.checks';
import { InMemoryAccountContext } from './in-memory-account-context';
import { WebhookRelay } from './webhook-relay';

describe(WebhookRelay.name, () => {
  const adapter = {
    handleWebhook: jest.fn(async () => ({ status: 202, body: { ok: true } })),
  } as unknown as ChannelAdapter;
  const sut = new WebhookRelay('demo', () => adapter);
  let context: InMemoryAccountContext;

  beforeAll(async () => {
    await sut.start();
    context = new InMemoryAccountContext({
      accountId: 'acc 1',
      credentials: {},
      webhookUrl: sut.webhookUrl('acc 1'),
    });
    sut.register(context);
  });
  afterAll(() => sut.stop());

  it('routes to handleWebhook with the raw body, sub-path, query and lower-case headers', async () => {
    const response = await fetch(`${context.webhookUrl}/status?x=1`, {
      method: 'POST',
      headers: { 'X-Signature': 'abc' },
      body: 'raw bytes',
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ ok: true });
    expect(adapter.handleWebhook).toHaveBeenCalledWith(
      context,
      expect.objectContaining({
        method: 'POST',
        subPath: '/status',
        publicUrl: `${context.webhookUrl}/status?x=1`,
        query: { x: '1' },
        headers: expect.objectContaining({ 'x-signature': 'abc' }),
        rawBody: Buffer.from('raw bytes'),
      }),
    );
    expect(sut.lastAccepted('acc 1')?.subPath).toBe('/status');
  });

  it('answers 404 for an unknown account', async () => {
    const response = await fetch(sut.webhookUrl('nobody'), { method: 'POST' });
    expect(response.status).toBe(404);
  });
});

describe(withoutAuthHeaders.name, () => {
  it('drops signature-like headers and keeps the rest', () => {
    const forged = withoutAuthHeaders({
      method: 'POST',
      subPath: '',
      publicUrl: 'http://x',
      headers: {
        'x-hub-signature-256': 's',
        'x-telegram-bot-api-secret-token': 't',
        authorization: 'a',
        'content-type': 'application/json',
      },
      query: {},
      rawBody: Buffer.alloc(0),
    });
    expect(forged.headers).toEqual({ 'content-type': 'application/json' });
  });
});

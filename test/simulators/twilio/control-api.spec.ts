import twilio from 'twilio';
import { startTwilioSimulator, type TwilioSimulator } from './simulator';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { FAST_TIMING } from './test-fixtures';

describe('control API over HTTP (/__sim)', () => {
  let sim: TwilioSimulator;
  let gateway: WebhookReceiver;

  const control = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${sim.baseUrl}/__sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  };

  beforeAll(async () => {
    gateway = await startWebhookReceiver();
    sim = await startTwilioSimulator({ timing: FAST_TIMING });
  });
  afterAll(async () => {
    await sim.close();
    await gateway.close();
  });

  it('sets up an account, numbers, destinations and faults, injects MMS and reads everything back', async () => {
    const account = (await control('POST', '/accounts', { friendlyName: 'ctl' })).json as {
      sid: string;
      authToken: string;
    };
    expect(account.sid).toMatch(/^AC[0-9a-f]{32}$/);
    const number = await control('POST', '/phone-numbers', {
      accountSid: account.sid,
      phoneNumber: '+15017120001',
      capabilities: { sms: true, mms: true },
      smsUrl: `${gateway.baseUrl}/sms`,
    });
    expect(number.status).toBe(201);
    expect(number.json).toMatchObject({ sid: expect.stringMatching(/^PN/), mps: 1 });
    expect((await control('POST', '/phone-numbers', { phoneNumber: '+1' })).status).toBe(400);

    const injected = await control('POST', '/inbound', {
      from: '+15558670000',
      to: '+15017120001',
      body: 'see attached',
      media: [{ contentType: 'image/jpeg', base64: Buffer.from('jpegbytes').toString('base64') }],
    });
    expect(injected.status).toBe(201);
    const result = injected.json as {
      message: { sid: string; media: Array<{ size: number }> };
      delivery: { responseStatus: number };
    };
    expect(result.delivery.responseStatus).toBe(200);
    expect(result.message.media[0].size).toBe(9);
    const hook = gateway.received.at(-1);
    expect(
      twilio.validateRequest(
        account.authToken,
        hook?.headers['x-twilio-signature'] ?? '',
        `${gateway.baseUrl}/sms`,
        hook?.params ?? {},
      ),
    ).toBe(true);

    expect(
      (await control('POST', '/destinations', { number: '+15558670001', behavior: 'landline' }))
        .status,
    ).toBe(201);
    const fault = (await control('POST', '/faults', { kind: '503', count: 1 })).json as {
      id: string;
    };
    expect(((await control('GET', '/faults')).json as unknown[]).length).toBe(1);
    expect((await control('DELETE', `/faults/${fault.id}`)).status).toBe(204);
    expect((await control('POST', '/faults', { kind: 'nonsense' })).status).toBe(400);

    const messages = (await control('GET', '/messages?from=%2B15558670000')).json as Array<{
      sid: string;
      history: unknown[];
    }>;
    expect(messages.map((m) => m.sid)).toEqual([result.message.sid]);
    const one = (await control('GET', `/messages/${result.message.sid}`)).json as {
      webhooks: unknown[];
      direction: string;
    };
    expect(one).toMatchObject({ direction: 'inbound' });
    expect(one.webhooks).toHaveLength(1);
    expect(((await control('GET', '/webhooks?kind=inbound')).json as unknown[]).length).toBe(1);

    expect(
      (await control('POST', '/opt-outs', { sender: '+15017120001', customer: '+15558670002' }))
        .status,
    ).toBe(201);
    expect((await control('GET', '/opt-outs')).json).toEqual([
      expect.objectContaining({ customer: '+15558670002' }),
    ]);
    expect(
      (
        await control('POST', '/proxy-routes', {
          publicBaseUrl: 'https://a.example',
          targetBaseUrl: gateway.baseUrl,
        })
      ).status,
    ).toBe(201);
    expect((await control('GET', '/requests')).status).toBe(200);

    expect((await control('POST', '/reset')).status).toBe(200);
    expect((await control('GET', '/messages')).json).toEqual([]);
    expect((await control('GET', '/opt-outs')).json).toEqual([]);
  });
});

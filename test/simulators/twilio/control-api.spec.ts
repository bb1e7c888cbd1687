import twilio from 'twilio';
import { TwilioSimControlClient } from './control-client';
import { startTwilioSimulator, type TwilioSimulator } from './simulator';
import { twilioClientFor } from './twilio-client';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { FAST_TIMING } from './test-fixtures';

describe('control API over HTTP (/__sim) with the typed control client', () => {
  let sim: TwilioSimulator;
  let gateway: WebhookReceiver;
  let ctl: TwilioSimControlClient;

  const raw = async (method: string, path: string, body?: unknown): Promise<number> => {
    const res = await fetch(`${sim.baseUrl}/__sim${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.text();
    return res.status;
  };

  beforeAll(async () => {
    gateway = await startWebhookReceiver();
    sim = await startTwilioSimulator({ timing: FAST_TIMING });
    ctl = new TwilioSimControlClient(sim.baseUrl);
  });
  afterAll(async () => {
    await sim.close();
    await gateway.close();
  });

  it('sets up an account and numbers, injects MMS and reads everything back', async () => {
    expect(await ctl.health()).toEqual({ ok: true });
    const account = await ctl.createAccount({ friendlyName: 'ctl' });
    expect(account.sid).toMatch(/^AC[0-9a-f]{32}$/);
    const number = await ctl.createPhoneNumber({
      accountSid: account.sid,
      phoneNumber: '+15017120001',
      capabilities: { sms: true, mms: true },
      smsUrl: `${gateway.baseUrl}/sms`,
    });
    expect(number).toMatchObject({ sid: expect.stringMatching(/^PN/), mps: 1 });
    expect(await raw('POST', '/phone-numbers', { phoneNumber: '+1' })).toBe(400);

    const result = await ctl.injectInbound({
      from: '+15558670000',
      to: '+15017120001',
      body: 'see attached',
      media: [{ contentType: 'image/jpeg', base64: Buffer.from('jpegbytes').toString('base64') }],
    });
    expect(result.delivery?.responseStatus).toBe(200);
    expect(result.message.media[0].size).toBe(9);
    const hook = gateway.received.at(-1);
    const sig = hook?.headers['x-twilio-signature'] ?? '';
    expect(
      twilio.validateRequest(account.authToken, sig, `${gateway.baseUrl}/sms`, hook?.params ?? {}),
    ).toBe(true);

    const messages = await ctl.messages({ from: '+15558670000' });
    expect(messages.map((m) => m.sid)).toEqual([result.message.sid]);
    const one = await ctl.message(result.message.sid);
    expect(one.direction).toBe('inbound');
    expect(one.webhooks).toHaveLength(1);
    expect(await ctl.webhooks({ kind: 'inbound' })).toHaveLength(1);
  });

  it('destinations, faults, opt-outs, proxy routes and the request log drive the REST API', async () => {
    const account = await ctl.createAccount();
    await ctl.createPhoneNumber({ accountSid: account.sid, phoneNumber: '+15017120002' });
    const client = twilioClientFor(sim, account.sid, account.authToken);
    const send = (to: string) => client.messages.create({ to, from: '+15017120002', body: 'x' });

    await ctl.setDestination({ number: '+15558670001', behavior: 'landline' });
    const landline = await send('+15558670001');
    await sim.waitForStatus(landline.sid, 'undelivered');
    expect((await ctl.message(landline.sid)).error_code).toBe(30006);

    const fault = await ctl.addFault({ kind: '503', count: 5 });
    expect(await ctl.faults()).toHaveLength(1);
    await expect(send('+15558670003')).rejects.toMatchObject({ status: 503 });
    await ctl.removeFault(fault.id);
    expect(await ctl.faults()).toEqual([]);
    expect(await raw('POST', '/faults', { kind: 'nonsense' })).toBe(400);

    await ctl.addOptOut('+15017120002', '+15558670002');
    expect(await ctl.optOuts()).toEqual([expect.objectContaining({ customer: '+15558670002' })]);
    await expect(send('+15558670002')).rejects.toMatchObject({ code: 21610 });
    await ctl.removeOptOut('+15017120002', '+15558670002');
    expect((await send('+15558670002')).status).toBe('queued');

    await ctl.addProxyRoute({ publicBaseUrl: 'https://a.example', targetBaseUrl: gateway.baseUrl });
    const log = await ctl.requests();
    expect(log.some((r) => r.errorCode === 21610 && r.status === 400)).toBe(true);

    await ctl.reset();
    expect(await ctl.messages()).toEqual([]);
    expect(await ctl.optOuts()).toEqual([]);
  });
});

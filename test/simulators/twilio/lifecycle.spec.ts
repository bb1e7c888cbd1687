import twilio from 'twilio';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import {
  api,
  CUSTOMER,
  FAST_TIMING,
  SMS_NUMBER,
  startFixture,
  type Fixture,
} from './test-fixtures';

describe('message lifecycle and signed status callbacks', () => {
  let fx: Fixture;
  let gateway: WebhookReceiver;

  beforeAll(async () => {
    gateway = await startWebhookReceiver();
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx.sim.close();
    await gateway.close();
  });

  const send = async (form: Record<string, string>): Promise<string> => {
    const res = await api(fx, 'POST', '/Messages.json', form);
    expect(res.status).toBe(201);
    return String(res.body.sid);
  };

  it('queued -> sending -> sent -> delivered, each change POSTed and signed (no callback for the initial status)', async () => {
    const callback = `${gateway.baseUrl}/twilio/status?channel=sms`;
    const sid = await send({
      To: CUSTOMER,
      From: SMS_NUMBER,
      Body: 'Hi there',
      StatusCallback: callback,
    });
    const message = await fx.sim.waitForStatus(sid, 'delivered');
    expect(message.history.map((h) => h.status)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
    ]);
    const received = gateway.received.filter((r) => r.params.MessageSid === sid);
    expect(received.map((r) => r.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
    for (const r of received) {
      expect(r.method).toBe('POST');
      expect(r.url).toBe('/twilio/status?channel=sms');
      expect(r.headers['content-type']).toContain('application/x-www-form-urlencoded');
      expect(r.headers['i-twilio-idempotency-token']).toBeTruthy();
      const sig = r.headers['x-twilio-signature'];
      expect(twilio.validateRequest(fx.account.authToken, sig, callback, r.params)).toBe(true);
      expect(twilio.validateRequest('other-token', sig, callback, r.params)).toBe(false);
    }
    const delivered = received[2].params;
    expect(Object.keys(delivered).sort()).toEqual(
      [
        'AccountSid',
        'ApiVersion',
        'From',
        'MessageSid',
        'MessageStatus',
        'RawDlrDoneDate',
        'SmsSid',
        'SmsStatus',
        'To',
      ].sort(),
    );
    expect(delivered).toMatchObject({
      AccountSid: fx.account.sid,
      From: SMS_NUMBER,
      To: CUSTOMER,
      SmsSid: sid,
      SmsStatus: 'delivered',
      ApiVersion: '2010-04-01',
    });
    expect(delivered.RawDlrDoneDate).toMatch(/^\d{10}$/);
    expect(fx.sim.statusCallbacks(sid).every((w) => w.responseStatus === 200)).toBe(true);
    const fetched = await api(fx, 'GET', `/Messages/${sid}.json`);
    expect(fetched.body).toMatchObject({ status: 'delivered', error_code: null });
    expect(fetched.body.date_sent).not.toBeNull();
  });

  it.each([
    ['unreachable', 'undelivered', 30003],
    ['unknown', 'undelivered', 30005],
    ['landline', 'undelivered', 30006],
    ['blocked', 'undelivered', 30007],
    ['failed', 'failed', 30008],
  ] as const)('destination %s ends %s with ErrorCode %i', async (behavior, status, code) => {
    const to = `+1555000${String(code).slice(-4)}`;
    fx.sim.setDestination({ number: to, behavior });
    const sid = await send({
      To: to,
      From: SMS_NUMBER,
      Body: 'x',
      StatusCallback: `${gateway.baseUrl}/s`,
    });
    const message = await fx.sim.waitForStatus(sid, status);
    expect(message).toMatchObject({ status, errorCode: code });
    const last = fx.sim.statusCallbacks(sid).at(-1);
    expect(last?.params).toMatchObject({ MessageStatus: status, ErrorCode: String(code) });
    const fetched = await api(fx, 'GET', `/Messages/${sid}.json`);
    expect(fetched.body).toMatchObject({ status, error_code: code });
    expect(fetched.body.error_message).toBeTruthy();
  });

  it('read receipts only for destinations that support them; no-dlr stays sent', async () => {
    fx.sim.setDestination({ number: '+15550003001', behavior: 'read' });
    fx.sim.setDestination({ number: '+15550003002', behavior: 'no-dlr' });
    const read = await send({ To: '+15550003001', From: SMS_NUMBER, Body: 'x' });
    expect((await fx.sim.waitForStatus(read, 'read')).history.map((h) => h.status)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
      'read',
    ]);
    const noDlr = await send({ To: '+15550003002', From: SMS_NUMBER, Body: 'x' });
    await fx.sim.waitForStatus(noDlr, 'sent');
    await new Promise((r) => setTimeout(r, 50));
    expect(fx.sim.message(noDlr)?.status).toBe('sent');
  });

  it('records NumSegments (GSM-7 153-septet parts vs UCS-2 67-unit parts)', async () => {
    const gsm = await api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      From: SMS_NUMBER,
      Body: 'a'.repeat(307),
    });
    expect(gsm.body.num_segments).toBe('3');
    const ucs = await api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      From: SMS_NUMBER,
      Body: 'ç'.repeat(71),
    });
    expect(ucs.body.num_segments).toBe('2');
    expect(fx.sim.message(String(ucs.body.sid))?.encoding).toBe('UCS-2');
  });

  it('Messaging Service: accepted with from null / num_segments 0, then queued with a pool sender', async () => {
    const service = fx.sim.createMessagingService({
      accountSid: fx.account.sid,
      phoneNumbers: [SMS_NUMBER],
      statusCallback: `${gateway.baseUrl}/service-status`,
    });
    const res = await api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      MessagingServiceSid: service.sid,
      Body: 'hey',
    });
    expect(res.body).toMatchObject({
      status: 'accepted',
      from: null,
      num_segments: '0',
      messaging_service_sid: service.sid,
    });
    const sid = String(res.body.sid);
    await fx.sim.waitForStatus(sid, 'delivered');
    const callbacks = fx.sim.statusCallbacks(sid);
    expect(callbacks.map((c) => c.params.MessageStatus)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
    ]);
    expect(callbacks[0].params).toMatchObject({
      MessagingServiceSid: service.sid,
      From: SMS_NUMBER,
    });
    expect(callbacks[0].url).toBe(`${gateway.baseUrl}/service-status`);
  });

  it('unknown MessagingServiceSid -> 21701', async () => {
    const res = await api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      MessagingServiceSid: `MG${'1'.repeat(32)}`,
      Body: 'x',
    });
    expect(res.body).toMatchObject({ code: 21701 });
  });
});

describe('per-sender rate and queue bound', () => {
  let fx: Fixture;

  beforeAll(async () => {
    // 1 MPS long code; 1 simulated second = 50 real ms.
    fx = await startFixture({
      timing: { queuedToSendingMs: 1, sendingToSentMs: 1, sentToDeliveredMs: 1, timeScale: 0.05 },
      queueLimitSeconds: 15,
    });
  });
  afterAll(async () => {
    await fx.sim.close();
  });

  it('sends at most one segment per second per long code (queueing, not rejecting)', async () => {
    const created = await Promise.all(
      [0, 1, 2].map((i) =>
        api(fx, 'POST', '/Messages.json', { To: CUSTOMER, From: SMS_NUMBER, Body: `m${i}` }),
      ),
    );
    const sids = created.map((res) => String(res.body.sid));
    const sending = await Promise.all(sids.map((sid) => fx.sim.waitForStatus(sid, 'sending')));
    // planned hand-off slots from the sender queue: one segment each at 1 MPS = 50 ms apart
    const slots = sending.map((m) => m.plannedSendAt?.getTime() ?? 0).sort((a, b) => a - b);
    expect(slots[1] - slots[0]).toBeGreaterThanOrEqual(50);
    expect(slots[2] - slots[1]).toBeGreaterThanOrEqual(50);
    for (const m of sending) {
      const handedOff = m.history.find((h) => h.status === 'sending')?.at.getTime() ?? 0;
      expect(handedOff).toBeGreaterThanOrEqual((m.plannedSendAt?.getTime() ?? 0) - 1);
    }
  });

  it('a sender backlog beyond the queue bound -> 21611', async () => {
    // 10 segments each = 10 simulated seconds (500 ms) of backlog per message; bound is 15 s
    const results = await Promise.all(
      [0, 1, 2, 3].map(() =>
        api(fx, 'POST', '/Messages.json', {
          To: CUSTOMER,
          From: fx.mms.phoneNumber,
          Body: 'a'.repeat(1530),
        }),
      ),
    );
    const codes = results.map((res) => (res.status === 201 ? 201 : Number(res.body.code)));
    expect(codes).toContain(201);
    expect(codes).toContain(21611);
  });

  it('a message that cannot leave the queue within ValidityPeriod fails with 30001', async () => {
    const first = await api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      From: SMS_NUMBER,
      Body: 'a'.repeat(1530), // 10 segments: the sender is busy for 10 simulated seconds
    });
    expect(first.status).toBe(201);
    const second = await api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      From: SMS_NUMBER,
      Body: 'late',
      ValidityPeriod: '1',
    });
    const message = await fx.sim.waitForStatus(String(second.body.sid), 'failed');
    expect(message.errorCode).toBe(30001);
  });
});

describe('scheduled messages (ScheduleType=fixed + SendAt, Messaging Service only)', () => {
  let fx: Fixture;
  let serviceSid: string;
  const inMinutes = (m: number): string => new Date(Date.now() + m * 60_000).toISOString();

  beforeAll(async () => {
    // 1 simulated second = 0.1 real ms: a send 20 minutes ahead happens after ~120 ms
    fx = await startFixture({ timing: { ...FAST_TIMING, timeScale: 0.0001 } });
    serviceSid = fx.sim.createMessagingService({
      accountSid: fx.account.sid,
      phoneNumbers: [SMS_NUMBER],
    }).sid;
  });
  afterAll(async () => {
    await fx.sim.close();
  });

  const schedule = (form: Record<string, string>) =>
    api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      Body: 'later',
      ScheduleType: 'fixed',
      ...form,
    });

  it('SendAt less than 15 minutes or more than 35 days ahead -> 35114', async () => {
    for (const minutes of [5, 36 * 24 * 60]) {
      const res = await schedule({ MessagingServiceSid: serviceSid, SendAt: inMinutes(minutes) });
      expect(res.body).toMatchObject({ code: 35114 });
    }
  });

  it('without a Messaging Service the scheduling parameters are dropped (sent now)', async () => {
    const res = await schedule({ From: SMS_NUMBER, SendAt: inMinutes(20) });
    expect(res.body).toMatchObject({ status: 'queued', from: SMS_NUMBER });
  });

  it('scheduled -> queued -> … -> delivered at SendAt', async () => {
    const res = await schedule({ MessagingServiceSid: serviceSid, SendAt: inMinutes(20) });
    expect(res.body).toMatchObject({ status: 'scheduled', from: null, num_segments: '0' });
    const message = await fx.sim.waitForStatus(String(res.body.sid), 'delivered');
    expect(message.history.map((h) => h.status)).toEqual([
      'scheduled',
      'queued',
      'sending',
      'sent',
      'delivered',
    ]);
    expect(message.from).toBe(SMS_NUMBER);
  });

  it('Status=canceled cancels a scheduled message', async () => {
    const res = await schedule({ MessagingServiceSid: serviceSid, SendAt: inMinutes(60 * 24) });
    const sid = String(res.body.sid);
    const canceled = await api(fx, 'POST', `/Messages/${sid}.json`, { Status: 'canceled' });
    expect(canceled.body).toMatchObject({ status: 'canceled' });
    expect(fx.sim.message(sid)?.history.map((h) => h.status)).toEqual(['scheduled', 'canceled']);
  });
});

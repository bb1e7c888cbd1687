import twilio from 'twilio';
import { twilioClientFor, rewriteTwilioUrl } from './twilio-client';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { CUSTOMER, MMS_NUMBER, SMS_NUMBER, startFixture, type Fixture } from './test-fixtures';

describe('official twilio package against the simulator', () => {
  let fx: Fixture;
  let gateway: WebhookReceiver;
  let client: twilio.Twilio;

  beforeAll(async () => {
    gateway = await startWebhookReceiver();
    fx = await startFixture();
    client = twilioClientFor(fx.sim, fx.account.sid, fx.account.authToken);
  });
  afterAll(async () => {
    await fx.sim.close();
    await gateway.close();
  });

  it('rewrites only the scheme and host', () => {
    expect(
      rewriteTwilioUrl(
        'https://api.twilio.com/2010-04-01/Accounts/AC1.json?a=b',
        'http://127.0.0.1:4030/',
      ),
    ).toBe('http://127.0.0.1:4030/2010-04-01/Accounts/AC1.json?a=b');
  });

  it('client.api.v2010.accounts(sid).fetch()', async () => {
    const account = await client.api.v2010.accounts(fx.account.sid).fetch();
    expect(account.sid).toBe(fx.account.sid);
    expect(account.status).toBe('active');
    expect(account.dateCreated).toBeInstanceOf(Date);
  });

  it('client.incomingPhoneNumbers.list(...)', async () => {
    const all = await client.incomingPhoneNumbers.list({ limit: 20 });
    expect(all.map((n) => n.phoneNumber).sort()).toEqual([SMS_NUMBER, MMS_NUMBER].sort());
    const one = await client.incomingPhoneNumbers.list({ phoneNumber: MMS_NUMBER });
    expect(one).toHaveLength(1);
    expect(one[0].capabilities).toMatchObject({ sms: true, mms: true });
    expect((await client.incomingPhoneNumbers(one[0].sid).fetch()).phoneNumber).toBe(MMS_NUMBER);
  });

  it('client.messages.create(...) with status callback, then fetch, list (paged) and media', async () => {
    gateway.reply('/a.jpg', { contentType: 'image/jpeg', bytes: Buffer.from('jpeg') });
    gateway.reply('/b.png', { contentType: 'image/png', bytes: Buffer.from('png') });
    const mediaUrls = [`${gateway.baseUrl}/a.jpg`, `${gateway.baseUrl}/b.png`];
    const msg = await client.messages.create({
      to: CUSTOMER,
      from: MMS_NUMBER,
      body: 'Hi there',
      mediaUrl: mediaUrls,
      statusCallback: `${gateway.baseUrl}/status`,
    });
    expect(msg.sid).toMatch(/^MM[0-9a-f]{32}$/);
    expect(msg).toMatchObject({
      status: 'queued',
      numSegments: '1',
      numMedia: '2',
      direction: 'outbound-api',
      to: CUSTOMER,
    });
    const logged = fx.sim
      .requests()
      .find((r) => r.method === 'POST' && r.path.endsWith('/Messages.json'));
    expect(logged?.contentType).toContain('application/x-www-form-urlencoded');
    expect(logged?.userAgent).toMatch(/^twilio-node\//);
    expect(logged?.body).toMatchObject({
      To: CUSTOMER,
      MediaUrl: mediaUrls,
    });

    await fx.sim.waitForStatus(msg.sid, 'delivered');
    const fetched = await client.messages(msg.sid).fetch();
    expect(fetched.status).toBe('delivered');
    expect(fetched.dateSent).toBeInstanceOf(Date);
    const media = await client.messages(msg.sid).media.list();
    expect(media.map((m) => m.contentType)).toEqual(['image/jpeg', 'image/png']);

    for (let i = 0; i < 3; i += 1)
      await client.messages.create({ to: CUSTOMER, from: SMS_NUMBER, body: `n${i}` });
    const listed = await client.messages.list({ to: CUSTOMER, pageSize: 2 });
    expect(listed.length).toBeGreaterThanOrEqual(4);
    const callbacks = gateway.received.filter((r) => r.params.MessageSid === msg.sid);
    expect(callbacks.map((c) => c.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
  });

  it('errors surface as RestException with Twilio code', async () => {
    await expect(
      client.messages.create({ to: '+15005550001', from: SMS_NUMBER, body: 'x' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21211,
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
    });
    const wrong = twilioClientFor(fx.sim, fx.account.sid, 'bad-token');
    await expect(wrong.api.v2010.accounts(fx.account.sid).fetch()).rejects.toMatchObject({
      status: 401,
      code: 20003,
    });
  });

  it('429 / 20429 surfaces as RestException; autoRetry recovers', async () => {
    fx.sim.addFault({ kind: '429', method: 'POST', path: '/Messages\\.json$', count: 1 });
    await expect(
      client.messages.create({ to: CUSTOMER, from: SMS_NUMBER, body: 'x' }),
    ).rejects.toMatchObject({
      status: 429,
      code: 20429,
    });
    fx.sim.addFault({ kind: '429', method: 'POST', path: '/Messages\\.json$', count: 2 });
    const retrying = twilioClientFor(fx.sim, fx.account.sid, fx.account.authToken, {
      autoRetry: true,
      maxRetries: 3,
      maxRetryDelay: 20,
    });
    const created = await retrying.messages.create({
      to: CUSTOMER,
      from: SMS_NUMBER,
      body: 'retried',
    });
    expect(created.status).toBe('queued');
  });

  it('API key credentials with accountSid option', async () => {
    const key = fx.sim.addApiKey(fx.account.sid);
    const keyed = twilioClientFor(fx.sim, key.sid, key.secret, { accountSid: fx.account.sid });
    expect((await keyed.api.v2010.accounts(fx.account.sid).fetch()).sid).toBe(fx.account.sid);
  });
});

import twilio from 'twilio';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import {
  api,
  basicAuth,
  CUSTOMER,
  MMS_NUMBER,
  SMS_NUMBER,
  startFixture,
  type Fixture,
} from './test-fixtures';

describe('inbound messages (customer -> gateway number)', () => {
  let fx: Fixture;
  let gateway: WebhookReceiver;
  let smsUrl: string;

  beforeAll(async () => {
    gateway = await startWebhookReceiver();
    smsUrl = `${gateway.baseUrl}/twilio/sms`;
    fx = await startFixture({}, smsUrl);
  });
  afterAll(async () => {
    await fx.sim.close();
    await gateway.close();
  });

  it("POSTs Twilio's form parameters to SmsUrl, signed so twilio.validateRequest accepts them", async () => {
    const { message, delivery } = await fx.sim.injectInbound({
      from: CUSTOMER,
      to: SMS_NUMBER,
      body: 'Hello, I need help with my order',
      geo: { FromCity: 'SAN FRANCISCO', FromState: 'CA', FromCountry: 'US', FromZip: '94105' },
    });
    expect(delivery?.responseStatus).toBe(200);
    const req = gateway.received.at(-1);
    expect(req?.url).toBe('/twilio/sms');
    const p = req?.params ?? {};
    expect(p).toMatchObject({
      MessageSid: message.sid,
      SmsSid: message.sid,
      SmsMessageSid: message.sid,
      AccountSid: fx.account.sid,
      From: CUSTOMER,
      To: SMS_NUMBER,
      Body: 'Hello, I need help with my order',
      NumMedia: '0',
      NumSegments: '1',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
      FromCity: 'SAN FRANCISCO',
      FromState: 'CA',
      ToCity: '',
    });
    expect(p.OptOutType).toBeUndefined();
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(
      twilio.validateRequest(
        fx.account.authToken,
        req?.headers['x-twilio-signature'] ?? '',
        smsUrl,
        p,
      ),
    ).toBe(true);
    expect(
      twilio.validateRequest(
        fx.account.authToken,
        req?.headers['x-twilio-signature'] ?? '',
        smsUrl,
        { ...p, Body: 'x' },
      ),
    ).toBe(false);
    const fetched = await api(fx, 'GET', `/Messages/${message.sid}.json`);
    expect(fetched.body).toMatchObject({
      direction: 'inbound',
      status: 'received',
      from: CUSTOMER,
    });
  });

  it('reverse proxy: signs the public URL, delivers to the internal one', async () => {
    const publicUrl = 'https://gateway.example.com/hooks/twilio/sms?tenant=a';
    fx.sim.addProxyRoute({
      publicBaseUrl: 'https://gateway.example.com/hooks',
      targetBaseUrl: gateway.baseUrl,
    });
    const { delivery } = await fx.sim.injectInbound({
      from: CUSTOMER,
      to: SMS_NUMBER,
      body: 'via proxy',
      url: publicUrl,
    });
    expect(delivery).toMatchObject({
      url: publicUrl,
      deliveredUrl: `${gateway.baseUrl}/twilio/sms?tenant=a`,
      responseStatus: 200,
    });
    const req = gateway.received.at(-1);
    const sig = req?.headers['x-twilio-signature'] ?? '';
    expect(twilio.validateRequest(fx.account.authToken, sig, publicUrl, req?.params ?? {})).toBe(
      true,
    );
    // the URL the app sees locally does not validate: the app must rebuild the public URL
    expect(
      twilio.validateRequest(
        fx.account.authToken,
        sig,
        `${gateway.baseUrl}${req?.url}`,
        req?.params ?? {},
      ),
    ).toBe(false);
  });

  it('MMS: MediaUrlN / MediaContentTypeN; media content needs Basic auth and redirects to short-lived storage', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const { message } = await fx.sim.injectInbound({
      from: CUSTOMER,
      to: MMS_NUMBER,
      body: 'photo',
      media: [
        { contentType: 'image/png', data: png },
        { contentType: 'application/pdf', base64: Buffer.from('%PDF-1.4').toString('base64') },
      ],
    });
    expect(message.sid).toMatch(/^MM/);
    const p = gateway.received.at(-1)?.params ?? {};
    expect(p).toMatchObject({
      NumMedia: '2',
      MediaContentType0: 'image/png',
      MediaContentType1: 'application/pdf',
    });
    expect(p.MediaUrl0).toBe(
      `${fx.sim.baseUrl}/2010-04-01/Accounts/${fx.account.sid}/Messages/${message.sid}/Media/${message.media[0].sid}`,
    );

    expect((await fetch(p.MediaUrl0)).status).toBe(401);
    const auth = { authorization: basicAuth(fx.account.sid, fx.account.authToken) };
    const redirect = await fetch(p.MediaUrl0, { headers: auth, redirect: 'manual' });
    expect(redirect.status).toBe(307);
    const location = redirect.headers.get('location') ?? '';
    expect(location).toContain('/__sim/media-storage/');
    const bytes = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(bytes.equals(png)).toBe(true);
    const followed = await fetch(p.MediaUrl1, { headers: auth });
    expect(followed.headers.get('content-type')).toContain('application/pdf');
    expect(await followed.text()).toBe('%PDF-1.4');
  });

  it('TwiML <Message> in the webhook response is sent back as an outbound-reply', async () => {
    gateway.reply('/twilio/reply', {
      body: '<?xml version="1.0"?><Response><Message>Thanks &amp; bye</Message></Response>',
    });
    const { replies } = await fx.sim.injectInbound({
      from: CUSTOMER,
      to: SMS_NUMBER,
      body: 'hi',
      url: `${gateway.baseUrl}/twilio/reply`,
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      direction: 'outbound-reply',
      body: 'Thanks & bye',
      from: SMS_NUMBER,
      to: CUSTOMER,
    });
  });

  it('records webhook failures as 11200', async () => {
    gateway.reply('/twilio/broken', { status: 500, body: 'oops', contentType: 'text/plain' });
    const { delivery } = await fx.sim.injectInbound({
      from: CUSTOMER,
      to: SMS_NUMBER,
      body: 'x',
      url: `${gateway.baseUrl}/twilio/broken`,
    });
    expect(delivery).toMatchObject({ responseStatus: 500, errorCode: 11200 });
  });

  it('a failing SmsUrl is followed by the SmsFallbackUrl (signed over the fallback URL, with ErrorCode/ErrorUrl)', async () => {
    gateway.reply('/primary-down', { status: 503, body: 'down', contentType: 'text/plain' });
    const fallbackUrl = `${gateway.baseUrl}/fallback`;
    const number = fx.sim.createPhoneNumber({
      accountSid: fx.account.sid,
      phoneNumber: '+15017122668',
      smsUrl: `${gateway.baseUrl}/primary-down`,
      smsFallbackUrl: fallbackUrl,
    });
    const { delivery, fallbackDelivery } = await fx.sim.injectInbound({
      from: CUSTOMER,
      to: number.phoneNumber,
      body: 'anyone?',
    });
    expect(delivery).toMatchObject({ responseStatus: 503, errorCode: 11200 });
    expect(fallbackDelivery).toMatchObject({ responseStatus: 200, errorCode: null });
    const req = gateway.received.at(-1);
    expect(req?.url).toBe('/fallback');
    expect(req?.params).toMatchObject({
      Body: 'anyone?',
      ErrorCode: '11200',
      ErrorUrl: `${gateway.baseUrl}/primary-down`,
    });
    expect(
      twilio.validateRequest(
        fx.account.authToken,
        req?.headers['x-twilio-signature'] ?? '',
        fallbackUrl,
        req?.params ?? {},
      ),
    ).toBe(true);
  });

  it('GET webhooks carry the parameters in the signed URL', async () => {
    const number = fx.sim.createPhoneNumber({
      accountSid: fx.account.sid,
      phoneNumber: '+15017122669',
      smsUrl: `${gateway.baseUrl}/get-hook`,
      smsMethod: 'GET',
    });
    await fx.sim.injectInbound({ from: CUSTOMER, to: number.phoneNumber, body: 'get me' });
    const req = gateway.received.at(-1);
    expect(req?.method).toBe('GET');
    expect(req?.params.Body).toBe('get me');
    const fullUrl = `${gateway.baseUrl}${req?.url}`;
    expect(
      twilio.validateRequest(
        fx.account.authToken,
        req?.headers['x-twilio-signature'] ?? '',
        fullUrl,
        {},
      ),
    ).toBe(true);
  });
});

describe('opt-out keywords (STOP / START / HELP)', () => {
  let fx: Fixture;
  let gateway: WebhookReceiver;

  beforeAll(async () => {
    gateway = await startWebhookReceiver();
    fx = await startFixture({}, `${gateway.baseUrl}/sms`);
    gateway.reply('/sms', {
      body: '<Response><Message>Thanks, an agent will reply</Message></Response>',
    });
  });
  afterAll(async () => {
    await fx.sim.close();
    await gateway.close();
  });

  const send = () =>
    api(fx, 'POST', '/Messages.json', { To: CUSTOMER, From: SMS_NUMBER, Body: 'agent reply' });

  it('STOP opts the customer out (webhook still delivered with OptOutType), sends then fail with 21610', async () => {
    expect((await send()).status).toBe(201);
    const { replies } = await fx.sim.injectInbound({
      from: CUSTOMER,
      to: SMS_NUMBER,
      body: '  stop ',
    });
    expect(gateway.received.at(-1)?.params).toMatchObject({ Body: '  stop ', OptOutType: 'STOP' });
    expect(replies).toHaveLength(1); // the TwiML <Message> in the webhook answer is blocked (opted out)
    expect(replies[0]?.body).toContain('unsubscribed');
    expect(fx.sim.optOuts()).toEqual([
      expect.objectContaining({ sender: SMS_NUMBER, customer: CUSTOMER }),
    ]);
    const blocked = await send();
    expect(blocked).toMatchObject({
      status: 400,
      body: { code: 21610, message: 'Attempt to send to unsubscribed recipient' },
    });
    // another sender of the account is not affected
    expect(
      (await api(fx, 'POST', '/Messages.json', { To: CUSTOMER, From: MMS_NUMBER, Body: 'x' }))
        .status,
    ).toBe(201);
  });

  it('HELP gets the auto-reply and OptOutType HELP, without changing consent', async () => {
    const { replies } = await fx.sim.injectInbound({
      from: CUSTOMER,
      to: SMS_NUMBER,
      body: 'help',
    });
    expect(gateway.received.at(-1)?.params.OptOutType).toBe('HELP');
    expect(replies[0]?.body).toContain('Reply STOP to unsubscribe');
    expect((await send()).body).toMatchObject({ code: 21610 });
  });

  it('START / UNSTOP re-subscribes', async () => {
    await fx.sim.injectInbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'UNSTOP' });
    expect(gateway.received.at(-1)?.params.OptOutType).toBe('START');
    expect(fx.sim.optOuts()).toEqual([]);
    expect((await send()).status).toBe(201);
  });

  it.each(['STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])(
    '%s opts out too',
    async (word) => {
      await fx.sim.injectInbound({ from: CUSTOMER, to: SMS_NUMBER, body: word });
      expect((await send()).body).toMatchObject({ code: 21610 });
      await fx.sim.injectInbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'start' });
    },
  );

  it('for a number in a Messaging Service, STOP blocks the whole service', async () => {
    const service = fx.sim.createMessagingService({
      accountSid: fx.account.sid,
      phoneNumbers: [MMS_NUMBER],
    });
    await fx.sim.injectInbound({ from: '+15558670099', to: MMS_NUMBER, body: 'STOP' });
    expect(gateway.received.at(-1)?.params).toMatchObject({
      MessagingServiceSid: service.sid,
      OptOutType: 'STOP',
    });
    expect(fx.sim.optOuts().at(-1)).toMatchObject({
      sender: service.sid,
      customer: '+15558670099',
    });
    const viaService = await api(fx, 'POST', '/Messages.json', {
      To: '+15558670099',
      MessagingServiceSid: service.sid,
      Body: 'x',
    });
    expect(viaService.body).toMatchObject({ code: 21610 });
    const direct = await api(fx, 'POST', '/Messages.json', {
      To: '+15558670099',
      From: MMS_NUMBER,
      Body: 'x',
    });
    expect(direct.body).toMatchObject({ code: 21610 });
  });

  it('a sentence containing stop is an ordinary message', async () => {
    await fx.sim.injectInbound({ from: CUSTOMER, to: SMS_NUMBER, body: 'please stop the order' });
    expect(gateway.received.at(-1)?.params.OptOutType).toBeUndefined();
    expect((await send()).status).toBe(201);
  });
});

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

describe('Twilio simulator REST API (auth, OpenAPI validation, business rules)', () => {
  let fx: Fixture;
  /** Serves the files behind MediaUrls (the simulator fetches them like Twilio). */
  let files: WebhookReceiver;
  const hosted = (name: string, contentType: string) => {
    files.reply(`/${name}`, { contentType, bytes: Buffer.from(`${name} bytes`) });
    return `${files.baseUrl}/${name}`;
  };

  beforeAll(async () => {
    files = await startWebhookReceiver();
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx.sim.close();
    await files.close();
  });

  const send = (form: Record<string, string | string[]>) => api(fx, 'POST', '/Messages.json', form);

  describe('authentication', () => {
    it('rejects a wrong auth token with Twilio 401 / 20003', async () => {
      const res = await api(fx, 'GET', '.json', undefined, basicAuth(fx.account.sid, 'wrong'));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Basic');
      expect(res.body).toMatchObject({
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
    });

    it('rejects missing credentials', async () => {
      const res = await fetch(`${fx.sim.baseUrl}/2010-04-01/Accounts/${fx.account.sid}.json`);
      expect(res.status).toBe(401);
    });

    it('accepts an API key (SK…) of the account in the path', async () => {
      const key = fx.sim.addApiKey(fx.account.sid);
      const res = await api(fx, 'GET', '.json', undefined, basicAuth(key.sid, key.secret));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ sid: fx.account.sid, status: 'active', type: 'Full' });
    });
  });

  describe('schema validation against the official OpenAPI document', () => {
    it('missing To -> 400 / 21604', async () => {
      const res = await send({ From: SMS_NUMBER, Body: 'hi' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 21604, status: 400 });
    });

    it('malformed To -> 400 / 21211', async () => {
      const res = await send({ To: '12-34', From: SMS_NUMBER, Body: 'hi' });
      expect(res.body).toMatchObject({ code: 21211, status: 400 });
      expect(res.body.message).toContain('12-34');
    });

    it('StatusCallback that is not a URI -> 21609', async () => {
      const res = await send({
        To: CUSTOMER,
        From: SMS_NUMBER,
        Body: 'hi',
        StatusCallback: 'not a url',
      });
      expect(res.body).toMatchObject({ code: 21609 });
    });

    it('wrongly typed parameter -> 400 / 20001 naming the parameter', async () => {
      const res = await send({
        To: CUSTOMER,
        From: SMS_NUMBER,
        Body: 'hi',
        ValidityPeriod: 'soon',
      });
      expect(res.body).toMatchObject({ code: 20001, status: 400 });
      expect(res.body.message).toContain('ValidityPeriod');
    });

    it('query parameter outside the schema range -> 400', async () => {
      const res = await api(fx, 'GET', '/Messages.json?PageSize=5000');
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('PageSize');
    });

    it('malformed SID in the path -> 404 / 20404', async () => {
      const res = await api(fx, 'GET', '/Messages/SMnope.json');
      expect(res).toMatchObject({ status: 404, body: { code: 20404 } });
    });

    it('unknown parameters are ignored, like Twilio', async () => {
      const res = await send({ To: CUSTOMER, From: SMS_NUMBER, Body: 'hi', Tags: 'x', Foo: 'bar' });
      expect(res.status).toBe(201);
    });
  });

  describe('business rules', () => {
    it('no Body and no MediaUrl -> 21602', async () => {
      expect((await send({ To: CUSTOMER, From: SMS_NUMBER })).body).toMatchObject({ code: 21602 });
    });

    it('no From and no MessagingServiceSid -> 21603', async () => {
      expect((await send({ To: CUSTOMER, Body: 'x' })).body).toMatchObject({ code: 21603 });
    });

    it('From not owned by the account -> 21606', async () => {
      expect((await send({ To: CUSTOMER, From: '+15550000000', Body: 'x' })).body).toMatchObject({
        code: 21606,
      });
    });

    it('1600 characters pass, 1601 -> 21617', async () => {
      expect((await send({ To: CUSTOMER, From: SMS_NUMBER, Body: 'a'.repeat(1600) })).status).toBe(
        201,
      );
      const res = await send({ To: CUSTOMER, From: SMS_NUMBER, Body: 'a'.repeat(1601) });
      expect(res.body).toMatchObject({ code: 21617, status: 400 });
    });

    it('MediaUrl from a number without mms capability -> 21621; with mms -> MM… message', async () => {
      const bad = await send({
        To: CUSTOMER,
        From: SMS_NUMBER,
        MediaUrl: hosted('a.jpg', 'image/jpeg'),
      });
      expect(bad.body).toMatchObject({ code: 21621 });
      expect(String(bad.body.message)).toContain('MMS');
      const ok = await send({
        To: CUSTOMER,
        From: MMS_NUMBER,
        Body: 'pic',
        MediaUrl: [hosted('a.jpg', 'image/jpeg'), hosted('b.png', 'image/png')],
      });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ num_media: '2', num_segments: '1' });
      expect(String(ok.body.sid)).toMatch(/^MM[0-9a-f]{32}$/);
      const media = await api(fx, 'GET', `/Messages/${String(ok.body.sid)}/Media.json`);
      const list = media.body.media_list as Array<Record<string, unknown>>;
      expect(list.map((m) => m.content_type)).toEqual(['image/jpeg', 'image/png']);
      const one = await api(
        fx,
        'GET',
        `/Messages/${String(ok.body.sid)}/Media/${String(list[0].sid)}.json`,
      );
      expect(one.body).toMatchObject({ parent_sid: ok.body.sid, content_type: 'image/jpeg' });
    });

    it('more than 10 MediaUrl -> 21623', async () => {
      const urls = Array.from({ length: 11 }, (_, i) => `https://example.com/${i}.jpg`);
      expect((await send({ To: CUSTOMER, From: MMS_NUMBER, MediaUrl: urls })).body).toMatchObject({
        code: 21623,
      });
    });

    it('mirrors the test-credential magic numbers', async () => {
      const codes: Array<[string, string, number]> = [
        ['+15005550001', SMS_NUMBER, 21211],
        ['+15005550002', SMS_NUMBER, 21612],
        ['+15005550003', SMS_NUMBER, 21408],
        ['+15005550004', SMS_NUMBER, 21610],
        ['+15005550009', SMS_NUMBER, 21614],
        [CUSTOMER, '+15005550001', 21212],
        [CUSTOMER, '+15005550007', 21606],
        [CUSTOMER, '+15005550008', 21611],
      ];
      for (const [to, from, code] of codes) {
        expect((await send({ To: to, From: from, Body: 'x' })).body).toMatchObject({ code });
      }
      expect((await send({ To: CUSTOMER, From: '+15005550006', Body: 'x' })).status).toBe(201);
    });

    it('destinations marked invalid / unroutable / not-mobile fail synchronously', async () => {
      fx.sim.setDestination({ number: '+15550001001', behavior: 'invalid' });
      fx.sim.setDestination({ number: '+15550001002', behavior: 'not-mobile' });
      expect((await send({ To: '+15550001001', From: SMS_NUMBER, Body: 'x' })).body).toMatchObject({
        code: 21211,
      });
      expect((await send({ To: '+15550001002', From: SMS_NUMBER, Body: 'x' })).body).toMatchObject({
        code: 21614,
      });
    });
  });

  describe('resources', () => {
    it('creates, fetches and lists messages with Twilio fields and paging', async () => {
      const created = await send({ To: '+15550002000', From: SMS_NUMBER, Body: 'Hello there' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        account_sid: fx.account.sid,
        api_version: '2010-04-01',
        body: 'Hello there',
        direction: 'outbound-api',
        from: SMS_NUMBER,
        to: '+15550002000',
        status: 'queued',
        num_segments: '1',
        num_media: '0',
        error_code: null,
        price_unit: 'USD',
      });
      expect(String(created.body.date_created)).toMatch(
        /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
      );
      const sid = String(created.body.sid);
      expect(created.body.uri).toBe(`/2010-04-01/Accounts/${fx.account.sid}/Messages/${sid}.json`);
      expect((await api(fx, 'GET', `/Messages/${sid}.json`)).body.sid).toBe(sid);

      await send({ To: '+15550002000', From: SMS_NUMBER, Body: 'second' });
      const page = await api(fx, 'GET', '/Messages.json?To=%2B15550002000&PageSize=1');
      expect(page.body).toMatchObject({ page: 0, page_size: 1, start: 0, end: 0 });
      expect((page.body.messages as unknown[]).length).toBe(1);
      expect(page.body.next_page_uri).toContain('Page=1');
      const next = await fetch(`${fx.sim.baseUrl}${String(page.body.next_page_uri)}`, {
        headers: { authorization: basicAuth(fx.account.sid, fx.account.authToken) },
      });
      const nextBody = (await next.json()) as Record<string, unknown>;
      expect(nextBody).toMatchObject({ page: 1, next_page_uri: null });
      expect((nextBody.messages as Array<{ sid: string }>)[0].sid).toBe(sid);
    });

    it('redacts (Body=""), refuses to cancel a non-scheduled message, deletes finished messages and media', async () => {
      const created = await send({
        To: '+15550002001',
        From: MMS_NUMBER,
        Body: 'secret',
        MediaUrl: hosted('x.gif', 'image/gif'),
      });
      const sid = String(created.body.sid);
      expect(
        (await api(fx, 'POST', `/Messages/${sid}.json`, { Status: 'canceled' })).body,
      ).toMatchObject({ code: 30409 });
      await fx.sim.waitForStatus(sid, 'delivered');
      expect((await api(fx, 'POST', `/Messages/${sid}.json`, { Body: '' })).body).toMatchObject({
        sid,
        body: '',
      });
      const media = (await api(fx, 'GET', `/Messages/${sid}/Media.json`)).body.media_list as Array<{
        sid: string;
      }>;
      expect((await api(fx, 'DELETE', `/Messages/${sid}/Media/${media[0].sid}.json`)).status).toBe(
        204,
      );
      expect((await api(fx, 'GET', `/Messages/${sid}/Media.json`)).body.media_list).toEqual([]);
      expect((await api(fx, 'DELETE', `/Messages/${sid}.json`)).status).toBe(204);
      expect((await api(fx, 'GET', `/Messages/${sid}.json`)).status).toBe(404);
    });

    it('lists and fetches IncomingPhoneNumbers with capabilities', async () => {
      const list = await api(
        fx,
        'GET',
        `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(MMS_NUMBER)}`,
      );
      const numbers = list.body.incoming_phone_numbers as Array<Record<string, unknown>>;
      expect(numbers).toHaveLength(1);
      expect(numbers[0]).toMatchObject({
        phone_number: MMS_NUMBER,
        capabilities: { sms: true, mms: true },
      });
      const one = await api(fx, 'GET', `/IncomingPhoneNumbers/${String(numbers[0].sid)}.json`);
      expect(one.body.sid).toBe(numbers[0].sid);
    });

    it('unknown resources -> 404 / 20404; unsupported method -> 405 / 20004', async () => {
      expect((await api(fx, 'GET', `/Messages/SM${'0'.repeat(32)}.json`)).body).toMatchObject({
        code: 20404,
      });
      expect((await api(fx, 'GET', '/Calls.json')).status).toBe(404);
      const res = await api(fx, 'DELETE', '/IncomingPhoneNumbers.json');
      expect(res.body).toMatchObject({ code: 20004, status: 405 });
    });

    it('records requests in the request log', () => {
      const log = fx.sim.requests();
      const last = log.filter((r) => r.errorCode === 21617);
      expect(last.length).toBeGreaterThan(0);
      expect(last[0]).toMatchObject({ method: 'POST', status: 400, authUser: fx.account.sid });
    });
  });
});

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
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

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n'),
  Buffer.alloc(3000, 7),
  Buffer.from('%%EOF\n'),
]);

describe('outbound MMS: Twilio fetches each MediaUrl before the carrier hand-off', () => {
  let fx: Fixture;
  /** Plays the application's side: status callbacks and the files behind the MediaUrls. */
  let app: WebhookReceiver;
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    app = await startWebhookReceiver();
    fx = await startFixture({ mediaFetchTimeoutMs: 300 });
    // Accepts connections and never answers: a MediaUrl that times out.
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  });
  afterAll(async () => {
    await fx.sim.close();
    await app.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => {
      silent.close(() => resolve());
    });
  });

  const host = (path: string, contentType: string, bytes: Buffer): string => {
    app.reply(path, { contentType, bytes });
    return `${app.baseUrl}${path}`;
  };

  const sendMms = async (mediaUrl: string[], to = CUSTOMER): Promise<string> => {
    const res = await api(fx, 'POST', '/Messages.json', {
      To: to,
      From: MMS_NUMBER,
      Body: 'see attached',
      MediaUrl: mediaUrl,
      StatusCallback: `${app.baseUrl}/status`,
    });
    expect(res.status).toBe(201);
    return String(res.body.sid);
  };

  const callbacks = (sid: string) =>
    app.received.filter((r) => r.url === '/status' && r.params.MessageSid === sid);

  it('fetches every MediaUrl, keeps the served type and bytes on the Media subresource, and delivers', async () => {
    const png = host('/files/one/pixel.jpg', 'image/png', PNG);
    const pdf = host('/files/two/report', 'application/pdf; charset=binary', PDF);
    const sid = await sendMms([png, pdf]);
    const message = await fx.sim.waitForStatus(sid, 'delivered');
    expect(message.history.map((h) => h.status)).toEqual([
      'queued',
      'sending',
      'sent',
      'delivered',
    ]);
    const fetches = app.received.filter((r) => r.url.startsWith('/files/'));
    expect(fetches.map((r) => [r.method, r.url])).toEqual([
      ['GET', '/files/one/pixel.jpg'],
      ['GET', '/files/two/report'],
    ]);
    expect(fetches[0].headers.authorization).toBeUndefined();
    expect(message.media.map((m) => [m.contentType, m.data?.length, m.sourceUrl])).toEqual([
      ['image/png', PNG.length, png],
      ['application/pdf', PDF.length, pdf],
    ]);

    const list = await api(fx, 'GET', `/Messages/${sid}/Media.json`);
    const items = list.body.media_list as Array<{ sid: string; content_type: string }>;
    expect(items.map((m) => m.content_type)).toEqual(['image/png', 'application/pdf']);
    const content = await fetch(
      `${fx.sim.baseUrl}/2010-04-01/Accounts/${fx.account.sid}/Messages/${sid}/Media/${items[1].sid}`,
      { headers: { authorization: basicAuth(fx.account.sid, fx.account.authToken) } },
    );
    expect(Buffer.from(await content.arrayBuffer()).equals(PDF)).toBe(true);

    const view = (await (await fetch(`${fx.sim.baseUrl}/__sim/messages/${sid}`)).json()) as {
      media: Array<{ size: number; fetch_error: string | null }>;
    };
    expect(view.media).toEqual([
      expect.objectContaining({ size: PNG.length, fetch_error: null }),
      expect.objectContaining({ size: PDF.length, fetch_error: null }),
    ]);
    // MMS delivery receipts carry no RawDlrDoneDate.
    expect(callbacks(sid).map((r) => r.params.MessageStatus)).toEqual([
      'sending',
      'sent',
      'delivered',
    ]);
    expect(callbacks(sid)[2].params.RawDlrDoneDate).toBeUndefined();
  });

  it.each([
    ['a 404', () => `${app.baseUrl}/files/missing.png`, /HTTP 404/],
    ['a refused connection', () => 'http://127.0.0.1:9/x.png', /ECONNREFUSED/],
    [
      'a timeout',
      () => `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow.png`,
      /timeout/,
    ],
  ])(
    'a MediaUrl answering with %s fails the message with 11200 through the status callback',
    async (_what, url, why) => {
      app.reply('/files/missing.png', { status: 404, contentType: 'text/plain', body: 'nope' });
      const good = host('/files/fine.png', 'image/png', PNG);
      const sid = await sendMms([good, url()]);
      const message = await fx.sim.waitForStatus(sid, 'failed');
      expect(message.history.map((h) => h.status)).toEqual(['queued', 'failed']);
      expect(message).toMatchObject({ errorCode: 11200, errorMessage: 'HTTP retrieval failure' });
      expect(message.media[1].fetchError).toMatch(why);
      expect(callbacks(sid).map((r) => [r.params.MessageStatus, r.params.ErrorCode])).toEqual([
        ['failed', '11200'],
      ]);
    },
  );

  it('a content type Twilio does not accept for MMS fails with 12300', async () => {
    const sid = await sendMms([host('/files/page.html', 'text/html', Buffer.from('<p>hi</p>'))]);
    const message = await fx.sim.waitForStatus(sid, 'failed');
    expect(message.errorCode).toBe(12300);
    expect(callbacks(sid).at(-1)?.params.ErrorCode).toBe('12300');
  });

  it.each([
    ['an image over 5 MB', [['image/jpeg', 5_000_001]]],
    ['another type over 500 KB', [['application/pdf', 500_001]]],
    [
      'media over 5 MB together',
      [
        ['image/png', 2_600_000],
        ['image/gif', 2_600_000],
      ],
    ],
  ] as Array<[string, Array<[string, number]>]>)('%s fails with 30019', async (_what, files) => {
    const urls = files.map(([type, size], index) =>
      host(`/files/big-${size}-${index}`, type, Buffer.alloc(size, 1)),
    );
    const sid = await sendMms(urls);
    const message = await fx.sim.waitForStatus(sid, 'failed');
    expect(message.errorCode).toBe(30019);
  });

  it('sizes at the limits pass: a 5 MB image, a 500 KB PDF', async () => {
    const sid = await sendMms([host('/files/max.jpg', 'image/jpeg', Buffer.alloc(5_000_000, 2))]);
    await fx.sim.waitForStatus(sid, 'delivered');
    const pdf = await sendMms([host('/files/max.pdf', 'application/pdf', Buffer.alloc(500_000))]);
    await fx.sim.waitForStatus(pdf, 'delivered');
  });

  it('MediaUrl from a number without MMS capability -> 400 / 21621, nothing fetched', async () => {
    const before = app.received.length;
    const res = await api(fx, 'POST', '/Messages.json', {
      To: CUSTOMER,
      From: SMS_NUMBER,
      MediaUrl: host('/files/never.png', 'image/png', PNG),
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 21621 });
    expect(String(res.body.message)).toContain('MMS');
    expect(app.received.length).toBe(before);
  });

  it('a destination whose handset takes no MMS: MMS undelivered with 30011, SMS delivered', async () => {
    const customer = '+15558670042';
    fx.sim.setDestination({ number: customer, behavior: 'no-mms' });
    const mms = await sendMms([host('/files/p.png', 'image/png', PNG)], customer);
    const failed = await fx.sim.waitForStatus(mms, 'undelivered');
    expect(failed.errorCode).toBe(30011);
    const sms = await api(fx, 'POST', '/Messages.json', {
      To: customer,
      From: MMS_NUMBER,
      Body: 'text only',
    });
    await fx.sim.waitForStatus(String(sms.body.sid), 'delivered');
  });
});

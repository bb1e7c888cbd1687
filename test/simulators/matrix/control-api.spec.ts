import { startMatrixSimulator, type MatrixSimulator } from './index';
import { call, CS, enc } from './test-client';

type Json = Record<string, unknown>;

describe('Matrix simulator: HTTP control API', () => {
  let sim: MatrixSimulator;
  const ctl = (method: string, path: string, body?: unknown) =>
    call(sim.baseUrl, method, `/__sim${path}`, { body });

  beforeAll(async () => {
    sim = await startMatrixSimulator();
  }, 30000);
  afterAll(() => sim.close());

  it('creates users, rooms and customer messages of every kind, and reads them back', async () => {
    const bot = await ctl('POST', '/users', {
      user: 'bot',
      displayName: 'Bot',
      accessToken: 'bot_token',
    });
    expect(bot.json).toMatchObject({ userId: '@bot:localhost', accessToken: 'bot_token' });
    await ctl('POST', '/users', { user: 'carol', displayName: 'Carol', password: 'pw' });
    const room = await ctl('POST', '/rooms', { creator: 'carol', isDirect: true, invite: ['bot'] });
    const roomId = String(room.json.roomId);
    await call(sim.baseUrl, 'POST', `${CS}/join/${enc(roomId)}`, { token: 'bot_token', body: {} });

    const upload = await call(sim.baseUrl, 'POST', '/__sim/media', {
      rawBody: Buffer.from('GIF89a'),
      headers: { 'Content-Type': 'image/gif' },
      query: { uploader: 'carol', filename: 'cat.gif' },
    });
    const url = String(upload.json.contentUri);
    const kinds: Json[] = [
      { kind: 'text', body: 'hello', html: '<i>hello</i>' },
      { kind: 'notice', body: 'auto' },
      { kind: 'emote', body: 'waves' },
      { kind: 'image', url, body: 'cat.gif', mimetype: 'image/gif', size: 6, w: 1, h: 1 },
      { kind: 'file', url, body: 'caption', filename: 'cat.gif' },
      { kind: 'audio', url, body: 'a.ogg', duration: 1000 },
      { kind: 'voice', url, body: 'Voice message', duration: 1000 },
      { kind: 'video', url, body: 'v.mp4', duration: 1000, w: 2, h: 2 },
      { kind: 'location', geoUri: 'geo:1,2', body: 'here' },
    ];
    for (const k of kinds) {
      const res = await ctl('POST', `/rooms/${enc(roomId)}/messages`, { sender: 'carol', ...k });
      expect([k.kind, res.status]).toEqual([k.kind, 200]);
    }
    const first = await ctl('GET', `/rooms/${enc(roomId)}/events?type=m.room.message`);
    const events = first.data as Json[];
    const firstId = String((events[0].event as Json).event_id);
    const reply = await ctl('POST', `/rooms/${enc(roomId)}/messages`, {
      sender: 'carol',
      kind: 'reply',
      inReplyTo: firstId,
      message: { kind: 'text', body: 're' },
    });
    const edit = await ctl('POST', `/rooms/${enc(roomId)}/messages`, {
      sender: 'carol',
      kind: 'edit',
      replaces: firstId,
      message: { kind: 'text', body: 'hello!' },
    });
    expect([reply.status, edit.status]).toEqual([200, 200]);
    const bad = await ctl('POST', `/rooms/${enc(roomId)}/messages`, {
      sender: 'carol',
      kind: 'image',
      url: 'https://x',
      body: 'x',
    });
    expect([bad.status, bad.json.errcode]).toEqual([400, 'M_BAD_JSON']);

    const sent = await call(
      sim.baseUrl,
      'PUT',
      `${CS}/rooms/${enc(roomId)}/send/m.room.message/gw1`,
      { token: 'bot_token', body: { msgtype: 'm.text', body: 'from gateway' } },
    );
    const fromBot = await ctl(
      'GET',
      `/rooms/${enc(roomId)}/events?sender=bot&source=client&type=m.room.message`,
    );
    const list = fromBot.data as Json[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ txnId: 'gw1', event: { event_id: sent.json.event_id } });

    const receipt = await ctl('POST', `/rooms/${enc(roomId)}/receipt`, {
      userId: 'carol',
      eventId: sent.json.event_id,
    });
    expect(receipt.json).toMatchObject({ receiptType: 'm.read', userId: '@carol:localhost' });
    expect(
      (await ctl('POST', `/rooms/${enc(roomId)}/encryption`, { sender: 'carol' })).status,
    ).toBe(200);
    expect((await ctl('GET', `/rooms/${enc(roomId)}`)).json).toMatchObject({
      encrypted: true,
      isDirect: true,
    });
    expect(
      (await ctl('POST', `/rooms/${enc(roomId)}/kick`, { sender: 'carol', userId: 'bot' })).status,
    ).toBe(200);
    expect((await ctl('POST', `/rooms/${enc(roomId)}/forget`, { userId: 'bot' })).status).toBe(200);

    const media = await ctl('GET', '/media');
    expect(JSON.stringify(media.data)).toContain('cat.gif');
    const bytes = await fetch(`${sim.baseUrl}/__sim/media/${url.slice('mxc://'.length)}`);
    expect(Buffer.from(await bytes.arrayBuffer()).toString()).toBe('GIF89a');
    const requests = await ctl('GET', '/requests?path=/send/');
    expect(
      (requests.data as Json[]).some(
        (r) => r.operationId === 'sendMessage' && r.userId === '@bot:localhost',
      ),
    ).toBe(true);
  });

  it('configures appservices, rate limits and faults over HTTP', async () => {
    const reg = {
      id: 'as1',
      url: null,
      as_token: 'a',
      hs_token: 'h',
      sender_localpart: 'asbot',
      namespaces: { users: [] },
    };
    expect((await ctl('PUT', '/appservices', reg)).status).toBe(200);
    expect((await ctl('GET', '/appservices')).data).toEqual([reg]);
    const bad = await ctl('PUT', '/appservices', { id: 'as2' });
    expect([bad.status, bad.json.errcode]).toEqual([400, 'M_BAD_JSON']);
    expect((await ctl('PUT', '/rate-limit', { enabled: true, burst: 3 })).json).toMatchObject({
      enabled: true,
      burst: 3,
    });
    expect((await ctl('GET', '/transactions')).data).toEqual([]);
    const f = await ctl('POST', '/faults', { kind: 'slow', delayMs: 5 });
    expect((await ctl('DELETE', `/faults/${String(f.json.id)}`)).json).toEqual({ removed: true });
    expect((await ctl('POST', '/faults', { kind: 'explode' })).status).toBe(400);
  });
});

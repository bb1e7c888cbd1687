import { startMatrixSimulator, type MatrixSimulator } from './index';
import { clientFor, CS, enc } from './test-client';

describe('Matrix simulator: validation against the spec files', () => {
  let sim: MatrixSimulator;
  let bot: ReturnType<typeof clientFor>;
  let roomId: string;

  beforeAll(async () => {
    sim = await startMatrixSimulator();
    const b = sim.createUser({ user: 'bot', password: 'secret' });
    sim.createUser({ user: 'alice' });
    roomId = sim.createRoom({
      creator: 'alice',
      isDirect: true,
      invite: ['bot'],
      join: ['bot'],
    }).roomId;
    bot = clientFor(sim.baseUrl, b.accessToken);
  }, 30000);
  afterAll(() => sim.close());

  let txn = 0;
  const send = (content: unknown) =>
    bot('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/v${++txn}`, { body: content });

  it.each([
    ['m.text without body', { msgtype: 'm.text' }, /body/],
    ['m.image with http url', { msgtype: 'm.image', body: 'a.png', url: 'https://x/a.png' }, /url/],
    [
      'm.image info.w not integer',
      { msgtype: 'm.image', body: 'a', url: 'mxc://localhost/abc', info: { w: '10' } },
      /info\/w must be integer/,
    ],
    [
      'm.file without url or file',
      { msgtype: 'm.file', body: 'a.pdf' },
      /url .* or .*file is required/,
    ],
    [
      'm.audio duration as string',
      { msgtype: 'm.audio', body: 'a', url: 'mxc://localhost/a', info: { duration: '3s' } },
      /duration/,
    ],
    ['m.location without geo_uri', { msgtype: 'm.location', body: 'here' }, /geo_uri/],
    [
      'm.location bad geo_uri',
      { msgtype: 'm.location', body: 'here', geo_uri: 'http://maps' },
      /geo_uri/,
    ],
    [
      'format without formatted_body',
      { msgtype: 'm.text', body: 'x', format: 'org.matrix.custom.html' },
      /formatted_body/,
    ],
    [
      'reply with bad event id',
      { msgtype: 'm.text', body: 'x', 'm.relates_to': { 'm.in_reply_to': { event_id: 'nope' } } },
      /in_reply_to/,
    ],
    [
      'edit without m.new_content',
      { msgtype: 'm.text', body: '* x', 'm.relates_to': { rel_type: 'm.replace', event_id: '$e' } },
      /m.new_content/,
    ],
    [
      'edit with invalid m.new_content',
      {
        msgtype: 'm.text',
        body: '* x',
        'm.new_content': { msgtype: 'm.text' },
        'm.relates_to': { rel_type: 'm.replace', event_id: '$e' },
      },
      /m.new_content/,
    ],
    [
      'm.mentions.user_ids not array',
      { msgtype: 'm.text', body: 'x', 'm.mentions': { user_ids: '@a:b' } },
      /m.mentions/,
    ],
  ])('rejects %s with 400 M_BAD_JSON', async (_name, content, message) => {
    const res = await send(content);
    expect(res.status).toBe(400);
    expect(res.json.errcode).toBe('M_BAD_JSON');
    expect(String(res.json.error)).toMatch(message);
  });

  it.each([
    [
      'm.text with HTML',
      {
        msgtype: 'm.text',
        body: 'hi',
        format: 'org.matrix.custom.html',
        formatted_body: '<b>hi</b>',
      },
    ],
    ['m.notice', { msgtype: 'm.notice', body: 'auto' }],
    ['m.emote', { msgtype: 'm.emote', body: 'waves' }],
    [
      'm.image',
      {
        msgtype: 'm.image',
        body: 'a.png',
        url: 'mxc://localhost/abc',
        info: { w: 1, h: 2, mimetype: 'image/png', size: 3 },
      },
    ],
    [
      'm.video',
      {
        msgtype: 'm.video',
        body: 'v.mp4',
        url: 'mxc://localhost/v',
        info: { duration: 1000, mimetype: 'video/mp4' },
      },
    ],
    [
      'voice message',
      {
        msgtype: 'm.audio',
        body: 'Voice',
        url: 'mxc://localhost/v',
        info: { duration: 2000 },
        'org.matrix.msc1767.audio': { duration: 2000, waveform: [1] },
        'org.matrix.msc3245.voice': {},
      },
    ],
    ['m.location', { msgtype: 'm.location', body: 'Big Ben', geo_uri: 'geo:51.5008,0.1247' }],
    [
      'reply',
      { msgtype: 'm.text', body: 'yes', 'm.relates_to': { 'm.in_reply_to': { event_id: '$abc' } } },
    ],
    [
      'edit',
      {
        msgtype: 'm.text',
        body: '* new',
        'm.new_content': { msgtype: 'm.text', body: 'new' },
        'm.relates_to': { rel_type: 'm.replace', event_id: '$abc' },
      },
    ],
  ])('accepts valid %s', async (_name, content) => {
    const res = await send(content);
    expect(res.status).toBe(200);
    expect(String(res.json.event_id)).toMatch(/^\$/);
  });

  it('validates request bodies against the OpenAPI files (login)', async () => {
    const res = await bot('POST', `${CS}/login`, { body: { type: 42 } });
    expect(res.status).toBe(400);
    expect(res.json.errcode).toBe('M_BAD_JSON');
    expect(String(res.json.error)).toContain('login.yaml');
  });

  it('validates query parameters (sync full_state must be boolean, timeout integer)', async () => {
    const a = await bot('GET', `${CS}/sync`, { query: { full_state: 'maybe' } });
    expect(a.status).toBe(400);
    expect(a.json.errcode).toBe('M_INVALID_PARAM');
    const b = await bot('GET', `${CS}/sync`, { query: { timeout: 'soon' } });
    expect(b.json.errcode).toBe('M_INVALID_PARAM');
  });

  it('validates path parameters (room id must start with !)', async () => {
    const res = await bot('PUT', `${CS}/rooms/not-a-room/send/m.room.message/x1`, {
      body: { msgtype: 'm.text', body: 'x' },
    });
    expect(res.status).toBe(400);
    expect(res.json.errcode).toBe('M_INVALID_PARAM');
    expect(String(res.json.error)).toContain('roomId');
  });

  it('validates inline sync filters against sync_filter.yaml', async () => {
    const res = await bot('GET', `${CS}/sync`, {
      query: { filter: '{"room":{"timeline":{"limit":"ten"}}}' },
    });
    expect(res.status).toBe(400);
    expect(res.json.errcode).toBe('M_INVALID_PARAM');
  });

  it('rejects a body that is not JSON with M_NOT_JSON and a non-object with M_BAD_JSON', async () => {
    const a = await bot('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/nj1`, {
      rawBody: '{nope',
    });
    expect([a.status, a.json.errcode]).toEqual([400, 'M_NOT_JSON']);
    const b = await bot('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/nj2`, {
      rawBody: '[1]',
    });
    expect([b.status, b.json.errcode]).toEqual([400, 'M_BAD_JSON']);
  });

  it('answers unknown endpoints with 404 and wrong methods with 405 M_UNRECOGNIZED', async () => {
    const a = await bot('GET', `${CS}/no/such/thing`);
    expect([a.status, a.json.errcode]).toEqual([404, 'M_UNRECOGNIZED']);
    const b = await bot('DELETE', `${CS}/sync`);
    expect([b.status, b.json.errcode]).toEqual([405, 'M_UNRECOGNIZED']);
  });

  it('validates control-API sends too', () => {
    expect(() =>
      sim.sendEvent(roomId, 'alice', 'm.room.message', { msgtype: 'm.image', body: 'x' }),
    ).toThrow(/url/);
  });
});

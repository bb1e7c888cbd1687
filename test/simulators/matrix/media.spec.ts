import { startMatrixSimulator, type MatrixSimulator } from './index';
import { call, clientFor } from './test-client';

describe('Matrix simulator: media', () => {
  let sim: MatrixSimulator;
  let bot: ReturnType<typeof clientFor>;

  beforeAll(async () => {
    sim = await startMatrixSimulator({ maxUploadBytes: 1024 });
    bot = clientFor(sim.baseUrl, sim.createUser({ user: 'bot' }).accessToken);
  }, 30000);
  afterAll(() => sim.close());

  const png = Buffer.from('89504e470d0a1a0a0000', 'hex');

  it('uploads raw bytes and downloads them via the authenticated v1 endpoint', async () => {
    const up = await bot('POST', '/_matrix/media/v3/upload', {
      rawBody: png,
      headers: { 'Content-Type': 'image/png' },
      query: { filename: 'logo.png' },
    });
    expect(up.status).toBe(200);
    const uri = String(up.json.content_uri);
    expect(uri).toMatch(/^mxc:\/\/localhost\/[A-Za-z0-9_-]+$/);
    const [, server, id] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(uri) ?? [];
    const res = await fetch(`${sim.baseUrl}/_matrix/client/v1/media/download/${server}/${id}`, {
      headers: { Authorization: `Bearer ${sim.createUser({ user: 'bot' }).accessToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toContain('logo.png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
    expect(sim.mediaByUri(uri)?.uploader).toBe('@bot:localhost');
  });

  it('requires auth on the authenticated download and 404s unknown media', async () => {
    const rec = sim.uploadMedia('bot', Buffer.from('hello'), 'text/plain', 'a.txt');
    const anon = await call(
      sim.baseUrl,
      'GET',
      `/_matrix/client/v1/media/download/localhost/${rec.mediaId}`,
    );
    expect([anon.status, anon.json.errcode]).toEqual([401, 'M_MISSING_TOKEN']);
    const missing = await bot('GET', '/_matrix/client/v1/media/download/localhost/doesnotexist');
    expect([missing.status, missing.json.errcode]).toEqual([404, 'M_NOT_FOUND']);
    const named = await fetch(
      `${sim.baseUrl}/_matrix/client/v1/media/download/localhost/${rec.mediaId}/other.txt`,
      {
        headers: { Authorization: `Bearer ${sim.createUser({ user: 'bot' }).accessToken}` },
      },
    );
    expect(named.headers.get('content-disposition')).toContain('other.txt');
  });

  it('answers 404 on the frozen legacy /_matrix/media/v3/download', async () => {
    const rec = sim.uploadMedia('bot', Buffer.from('x'), 'text/plain');
    const res = await call(
      sim.baseUrl,
      'GET',
      `/_matrix/media/v3/download/localhost/${rec.mediaId}`,
    );
    expect([res.status, res.json.errcode]).toEqual([404, 'M_NOT_FOUND']);
  });

  it('serves media config and rejects too-large uploads with 413 M_TOO_LARGE', async () => {
    const cfg = await bot('GET', '/_matrix/client/v1/media/config');
    expect(cfg.json).toEqual({ 'm.upload.size': 1024 });
    const big = await bot('POST', '/_matrix/media/v3/upload', {
      rawBody: Buffer.alloc(2048),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect([big.status, big.json.errcode]).toEqual([413, 'M_TOO_LARGE']);
  });

  it('supports async upload: create, then PUT once (409 on overwrite)', async () => {
    const created = await bot('POST', '/_matrix/media/v1/create', {});
    const [, server, id] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(String(created.json.content_uri)) ?? [];
    const pending = await bot('GET', `/_matrix/client/v1/media/download/${server}/${id}`);
    expect(pending.json.errcode).toBe('M_NOT_YET_UPLOADED');
    const put = await bot('PUT', `/_matrix/media/v3/upload/${server}/${id}`, {
      rawBody: 'data',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(put.status).toBe(200);
    const again = await bot('PUT', `/_matrix/media/v3/upload/${server}/${id}`, {
      rawBody: 'data',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect([again.status, again.json.errcode]).toEqual([409, 'M_CANNOT_OVERWRITE_MEDIA']);
  });
});

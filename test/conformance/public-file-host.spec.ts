import { BINARY_FIXTURES, sampleBytes } from './fixtures';
import { PublicFileHost } from './public-file-host';

describe(PublicFileHost.name, () => {
  const host = new PublicFileHost();

  beforeAll(() => host.start());
  afterAll(() => host.stop());

  it('serves published bytes with their type, length and file name at an unguessable URL', async () => {
    const bytes = sampleBytes(4096, 7);
    const url = host.publish({ bytes, mimeType: 'application/pdf', fileName: 'счёт 1.pdf' });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/[0-9a-f]{32}\/%D1%81/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe('4096');
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('счёт 1.pdf'));
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    expect(host.requests.at(-1)).toMatchObject({ method: 'GET', status: 200 });
  });

  it('answers HEAD without a body, 404 for unknown or revoked URLs, 405 for other methods', async () => {
    const png = BINARY_FIXTURES.image[0];
    const url = host.publish({ bytes: png.bytes, mimeType: png.mimeType });
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(png.bytes.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    const guessed = url.replace(/[0-9a-f]{32}/, '0'.repeat(32));
    expect((await fetch(guessed)).status).toBe(404);
    host.revoke(url);
    expect((await fetch(url)).status).toBe(404);
  });
});

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError } from '../../../src/core/adapter';
import { fetchTwilioMedia, isTwilioMediaUrl } from '../providers/twilio/twilio-media';

const AC = `AC${'1'.repeat(32)}`;
const PATH = `/2010-04-01/Accounts/${AC}/Messages/MM${'2'.repeat(32)}/Media/ME${'3'.repeat(32)}`;
const BYTES = Buffer.from([0, 1, 2, 250, 255]);

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

describe('Twilio media download', () => {
  const seen: { host: string; headers: IncomingHttpHeaders }[] = [];
  let api: Server;
  let storage: Server;
  let apiBase: string;

  beforeAll(async () => {
    storage = createServer((req, res) => {
      seen.push({ host: 'storage', headers: req.headers });
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': BYTES.length });
      res.end(BYTES);
    });
    const storagePort = await listen(storage);
    api = createServer((req, res) => {
      seen.push({ host: 'api', headers: req.headers });
      if (req.url !== PATH) return void res.writeHead(404).end();
      // Another origin (localhost vs 127.0.0.1), like Twilio's redirect to its media storage.
      res.writeHead(307, { location: `http://localhost:${storagePort}/signed?x=1` }).end();
    });
    apiBase = `http://127.0.0.1:${await listen(api)}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => api.close(resolve));
    await new Promise((resolve) => storage.close(resolve));
  });

  it('sends Basic auth to the API host only and streams the redirected bytes', async () => {
    const media = await fetchTwilioMedia(`${apiBase}${PATH}`, apiBase, AC, 'token');
    const chunks: Buffer[] = [];
    for await (const chunk of media.stream) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks)).toEqual(BYTES);
    expect(media).toMatchObject({ mimeType: 'image/png', sizeBytes: BYTES.length });
    const expected = `Basic ${Buffer.from(`${AC}:token`).toString('base64')}`;
    expect(seen.find((s) => s.host === 'api')?.headers.authorization).toBe(expected);
    expect(seen.find((s) => s.host === 'storage')?.headers.authorization).toBeUndefined();
  });

  it('refuses refs that are not media URLs of this account on the API host', async () => {
    expect(isTwilioMediaUrl(`${apiBase}${PATH}`, apiBase, AC)).toBe(true);
    expect(isTwilioMediaUrl(`https://evil.example${PATH}`, apiBase, AC)).toBe(false);
    expect(isTwilioMediaUrl(`${apiBase}${PATH}`, apiBase, `AC${'9'.repeat(32)}`)).toBe(false);
    expect(isTwilioMediaUrl(`${apiBase}${PATH}?redirect=x`, apiBase, AC)).toBe(false);
    await expect(fetchTwilioMedia('not-a-url', apiBase, AC, 't')).rejects.toBeInstanceOf(
      PermanentError,
    );
  });

  it('a missing media is a PermanentError', async () => {
    const missing = PATH.replace(/ME3+/, `ME${'4'.repeat(32)}`);
    await expect(fetchTwilioMedia(`${apiBase}${missing}`, apiBase, AC, 't')).rejects.toBeInstanceOf(
      PermanentError,
    );
  });
});

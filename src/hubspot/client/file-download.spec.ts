import { startReceiver, type Receiver } from '../../../test/simulators/hubspot/test-helpers';
import { DEFAULT_DOWNLOAD_POLICY, FileDownloader } from './file-download';
import { HubSpotHttp } from './hubspot-http';

const tokens = {
  getAccessToken: async () => 'portal-token',
  refreshAfterRejection: async () => 'portal-token',
};

describe(FileDownloader.name, () => {
  let hubspot: Receiver;
  let foreign: Receiver;

  beforeEach(async () => {
    hubspot = await startReceiver();
    foreign = await startReceiver();
  });
  afterEach(async () => {
    await hubspot.close();
    await foreign.close();
  });

  // `localhost` plays a HubSpot host here; the foreign receiver is reached as 127.0.0.1.
  const sut = () =>
    new FileDownloader(
      new HubSpotHttp({ baseUrl: 'http://127.0.0.1:9' }, tokens, undefined),
      tokens,
      { ...DEFAULT_DOWNLOAD_POLICY, hubspotHostSuffixes: ['localhost'] },
    );
  const asHubSpot = (r: Receiver) => r.url.replace('127.0.0.1', 'localhost');

  it('sends the token to a HubSpot host and drops it on a redirect to another host', async () => {
    hubspot.handler = (_req, res) => {
      res.writeHead(302, { location: `${foreign.url}/cdn/file.png` }).end();
      return true;
    };
    foreign.handler = (_req, res) => {
      res
        .writeHead(200, {
          'content-type': 'image/png',
          'content-disposition': 'attachment; filename="file.png"',
        })
        .end('png');
      return true;
    };
    const file = await sut().download('42', `${asHubSpot(hubspot)}/files/1`);
    const chunks: Buffer[] = [];
    for await (const chunk of file.stream) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).toString()).toBe('png');
    expect(file.fileName).toBe('file.png');
    expect(hubspot.received[0].headers.authorization).toBe('Bearer portal-token');
    expect(foreign.received[0].headers.authorization).toBeUndefined();
  });

  it('never sends the token to a signed URL, even on a HubSpot host', async () => {
    await (
      await sut().download('42', `${asHubSpot(hubspot)}/signed?sig=1`, { signed: true })
    ).stream.resume();
    expect(hubspot.received[0].headers.authorization).toBeUndefined();
  });
});

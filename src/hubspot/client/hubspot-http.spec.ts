import { PermanentError, RetryableError } from '../../core/adapter/errors';
import { ChannelsApi } from './channels.api';
import { HubSpotTransportError } from './errors';
import { HubSpotHttp, operationOf } from './hubspot-http';

describe(HubSpotHttp.name, () => {
  it('refuses channel calls without a developer key with a PermanentError, before any request', async () => {
    const sut = new ChannelsApi(
      new HubSpotHttp({ baseUrl: 'http://127.0.0.1:9' }, undefined, undefined),
    );
    const error = await sut.get('1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('CONFIGURATION');
  });

  it('maps a refused connection to a retryable network error', async () => {
    const sut = new HubSpotHttp(
      { baseUrl: 'http://127.0.0.1:9', developerApiKey: 'key' },
      undefined,
      undefined,
    );
    const error = (await sut
      .json({ method: 'GET', path: '/x', auth: { type: 'developer' } })
      .catch((e: unknown) => e)) as HubSpotTransportError;
    expect(error).toBeInstanceOf(RetryableError);
    expect(error.kind).toBe('network');
    expect(error.message).not.toContain('key');
  });

  it('names operations without their query and with secret path parts masked', () => {
    expect(
      operationOf({
        method: 'GET',
        path: '/oauth/v1/access-tokens/CNsecret',
        loggedPath: '/oauth/v1/access-tokens/{token}',
      }),
    ).toBe('GET /oauth/v1/access-tokens/{token}');
  });
});

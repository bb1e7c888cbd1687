import { PermanentError, RetryableError } from '../../core/adapter/errors';
import { HubSpotApiError, HubSpotInstallBrokenError, HubSpotServerError } from '../client/errors';
import { MemoryTokenStore } from './memory-token-store';
import type { OAuthTokenApi, TokenGrant } from './oauth-token.api';
import { LocalRefreshLock } from './refresh-lock';
import { HubSpotTokenManager } from './token-manager';

class FakeOAuth {
  refreshCalls = 0;
  failWith?: Error;
  delayMs = 20;

  async refresh(refreshToken: string): Promise<TokenGrant> {
    this.refreshCalls++;
    await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failWith) throw this.failWith;
    return { accessToken: `access-${this.refreshCalls}`, refreshToken, expiresInSeconds: 1800 };
  }

  async exchangeCode(): Promise<TokenGrant> {
    return { accessToken: 'first', refreshToken: 'r1', expiresInSeconds: 1800 };
  }

  async accessTokenInfo() {
    return {
      hub_id: 777,
      scopes: ['oauth'],
      app_id: 1,
      expires_in: 1800,
      token: 'first',
      token_type: 'access',
      user_id: 1,
    };
  }
}

describe(HubSpotTokenManager.name, () => {
  let now: number;
  let store: MemoryTokenStore;
  let oauth: FakeOAuth;
  let sut: HubSpotTokenManager;

  beforeEach(async () => {
    now = Date.parse('2026-06-01T12:00:00Z');
    store = new MemoryTokenStore();
    oauth = new FakeOAuth();
    sut = new HubSpotTokenManager(
      store,
      oauth as unknown as OAuthTokenApi,
      new LocalRefreshLock(),
      {
        refreshSkewMs: 5 * 60_000,
        now: () => now,
      },
    );
    await store.save('42', {
      accessToken: 'stored',
      refreshToken: 'r',
      expiresAt: new Date(now + 30 * 60_000),
      scopes: ['x'],
    });
  });

  it('hands out the stored token while it is fresh', async () => {
    await expect(sut.getAccessToken('42')).resolves.toBe('stored');
    expect(oauth.refreshCalls).toBe(0);
  });

  it('keeps the token in memory: one read of the store until it is due for refresh', async () => {
    const loads = jest.spyOn(store, 'load');
    const tokens = await Promise.all(Array.from({ length: 10 }, () => sut.getAccessToken('42')));
    expect(new Set(tokens)).toEqual(new Set(['stored']));
    await sut.getAccessToken('42');
    expect(loads).toHaveBeenCalledTimes(1);
    now += 25 * 60_000 + 1;
    await expect(sut.getAccessToken('42')).resolves.toBe('access-1');
    await expect(sut.getAccessToken('42')).resolves.toBe('access-1');
    expect(oauth.refreshCalls).toBe(1);
    const readsSoFar = loads.mock.calls.length;
    await sut.getAccessToken('42');
    expect(loads).toHaveBeenCalledTimes(readsSoFar);
  });

  it('drops a token HubSpot rejected and takes the one another process stored meanwhile', async () => {
    await sut.getAccessToken('42');
    await store.save('42', {
      accessToken: 'from-another-process',
      refreshToken: 'r',
      expiresAt: new Date(now + 30 * 60_000),
    });
    // Still valid at HubSpot until it expires, so the cached one is used...
    await expect(sut.getAccessToken('42')).resolves.toBe('stored');
    // ...until HubSpot rejects it.
    await expect(sut.refreshAfterRejection('42', 'stored')).resolves.toBe('from-another-process');
    await expect(sut.getAccessToken('42')).resolves.toBe('from-another-process');
    expect(oauth.refreshCalls).toBe(0);
  });

  it('forgets the token of an install found broken', async () => {
    await sut.getAccessToken('42');
    await store.markBroken('42', 'uninstalled');
    await expect(sut.refreshAfterRejection('42', 'stored')).rejects.toBeInstanceOf(
      HubSpotInstallBrokenError,
    );
    await expect(sut.getAccessToken('42')).rejects.toBeInstanceOf(HubSpotInstallBrokenError);
  });

  it('refreshes five minutes before expiry, once for many concurrent callers', async () => {
    now += 25 * 60_000 + 1;
    const tokens = await Promise.all(Array.from({ length: 10 }, () => sut.getAccessToken('42')));
    expect(new Set(tokens)).toEqual(new Set(['access-1']));
    expect(oauth.refreshCalls).toBe(1);
    const saved = await store.load('42');
    expect(saved?.accessToken).toBe('access-1');
    expect(saved?.expiresAt.getTime()).toBe(now + 1800_000);
    expect(saved?.scopes).toEqual(['x']);
  });

  it('refreshes after a 401 unless another caller already replaced the token', async () => {
    await expect(sut.refreshAfterRejection('42', 'stored')).resolves.toBe('access-1');
    await expect(sut.refreshAfterRejection('42', 'stored')).resolves.toBe('access-1');
    expect(oauth.refreshCalls).toBe(1);
  });

  it('marks the install broken when HubSpot rejects the refresh token', async () => {
    now += 29 * 60_000;
    oauth.failWith = new HubSpotApiError('missing or unknown refresh token', {
      status: 400,
      category: 'BAD_REFRESH_TOKEN',
      correlationId: 'corr-1',
      operation: 'POST /oauth/v1/token',
    });
    const error = await sut.getAccessToken('42').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotInstallBrokenError);
    expect(error).toBeInstanceOf(PermanentError);
    const install = await store.load('42');
    expect(install?.status).toBe('broken');
    expect(install?.brokenReason).toContain('refresh token rejected');
    expect(install?.brokenReason).toContain('corr-1');
    // Later calls fail fast without asking HubSpot again.
    await expect(sut.getAccessToken('42')).rejects.toBeInstanceOf(HubSpotInstallBrokenError);
    expect(oauth.refreshCalls).toBe(1);
  });

  it('keeps the install when the refresh failed for a transient reason', async () => {
    now += 29 * 60_000;
    oauth.failWith = new HubSpotServerError('down', {
      status: 503,
      operation: 'POST /oauth/v1/token',
    });
    await expect(sut.getAccessToken('42')).rejects.toBeInstanceOf(RetryableError);
    expect((await store.load('42'))?.status).toBe('active');
  });

  it('refuses a portal that never installed the app', async () => {
    await expect(sut.getAccessToken('nope')).rejects.toBeInstanceOf(HubSpotInstallBrokenError);
  });

  it('stores the tokens of a code exchange under the portal from the token metadata', async () => {
    const installed = await sut.exchangeCode('code', 'https://gw/cb');
    expect(installed.portalId).toBe('777');
    expect((await store.load('777'))?.accessToken).toBe('first');
  });
});

import type { AccessTokenProvider } from '../client/access-token-provider';
import { HubSpotApiError, HubSpotInstallBrokenError } from '../client/errors';
import type { HubSpotHttpLogger } from '../client/hubspot-http';
import type { OAuthTokenApi, TokenGrant } from './oauth-token.api';
import type { RefreshLock } from './refresh-lock';
import { SingleFlight } from './single-flight';
import type { StoredInstall, TokenStore } from './token-store';

export interface TokenManagerOptions {
  /** Refresh this long before `expires_at` (default 5 minutes). */
  refreshSkewMs: number;
  now: () => number;
}

/** OAuth error codes meaning the refresh token itself is no good (re-authorization needed). */
const REJECTED_REFRESH_CODES = new Set(['BAD_REFRESH_TOKEN', 'INVALID_GRANT', 'invalid_grant']);

export interface InstalledPortal {
  portalId: string;
  scopes: string[];
  expiresAt: Date;
}

/** A portal's access token as this process last read or obtained it. */
interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

/**
 * Access tokens per portal: hands out the stored token while it is fresh, refreshes it
 * `refreshSkewMs` before it expires and once after a 401, and never refreshes one portal twice at
 * the same time: concurrent callers in a process share one refresh (SingleFlight); processes
 * share a lock (RedisRefreshLock) and re-read the stored token once they hold it, so a refresh
 * done by another process is reused. A rejected refresh token marks the install broken.
 *
 * The token is kept in memory until it is due for refresh: reading it from the store decrypts it,
 * which on every HubSpot call cost a database read per message. A token another process replaced
 * stays valid at HubSpot until it expires; one HubSpot rejects (401, uninstall) is dropped by
 * `refreshAfterRejection`, which goes back to the store.
 */
export class HubSpotTokenManager implements AccessTokenProvider {
  private readonly flights = new SingleFlight<string>();
  private readonly loads = new SingleFlight<StoredInstall>();
  private readonly cache = new Map<string, CachedToken>();
  private readonly options: TokenManagerOptions;
  /** Refreshes this process performed (observability and tests). */
  refreshCount = 0;

  constructor(
    private readonly store: TokenStore,
    private readonly oauth: OAuthTokenApi,
    private readonly lock: RefreshLock,
    options: Partial<TokenManagerOptions> = {},
    private readonly logger?: HubSpotHttpLogger,
  ) {
    this.options = { refreshSkewMs: 5 * 60_000, now: Date.now, ...options };
  }

  async getAccessToken(portalId: string): Promise<string> {
    const cached = this.cache.get(portalId);
    if (cached && !this.isDue(cached.expiresAt)) return cached.accessToken;
    // Concurrent misses (a burst after start-up or expiry) share one read of the store.
    const install = await this.loads.run(portalId, () => this.activeInstall(portalId));
    if (!this.expiresSoon(install)) {
      this.remember(portalId, install.accessToken, install.expiresAt);
      return install.accessToken;
    }
    return this.refreshShared(portalId, undefined);
  }

  async refreshAfterRejection(portalId: string, rejectedToken: string): Promise<string> {
    if (this.cache.get(portalId)?.accessToken === rejectedToken) this.cache.delete(portalId);
    return this.refreshShared(portalId, rejectedToken);
  }

  /** Completes an install: trades the authorization code for tokens and stores them. */
  async exchangeCode(
    code: string,
    redirectUri: string,
    codeVerifier?: string,
  ): Promise<InstalledPortal> {
    const grant = await this.oauth.exchangeCode(code, redirectUri, codeVerifier);
    let portalId = grant.portalId;
    let scopes = grant.scopes;
    if (!portalId || !scopes) {
      const info = await this.oauth.accessTokenInfo(grant.accessToken);
      portalId ??= String(info.hub_id);
      scopes ??= info.scopes;
    }
    const expiresAt = this.expiryOf(grant);
    await this.store.save(portalId, {
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      expiresAt,
      scopes,
    });
    this.remember(portalId, grant.accessToken, expiresAt);
    return { portalId, scopes, expiresAt };
  }

  private refreshShared(portalId: string, rejectedToken: string | undefined): Promise<string> {
    return this.flights.run(portalId, () =>
      this.lock.withLock(portalId, () => this.refreshLocked(portalId, rejectedToken)),
    );
  }

  /** Runs while holding the portal's lock: re-check, then refresh only if still needed. */
  private async refreshLocked(
    portalId: string,
    rejectedToken: string | undefined,
  ): Promise<string> {
    const install = await this.activeInstall(portalId);
    const replaced = rejectedToken !== undefined && install.accessToken !== rejectedToken;
    if (!this.expiresSoon(install) && (rejectedToken === undefined || replaced)) {
      this.remember(portalId, install.accessToken, install.expiresAt);
      return install.accessToken;
    }
    let grant: TokenGrant;
    try {
      this.refreshCount++;
      grant = await this.oauth.refresh(install.refreshToken);
    } catch (error) {
      if (error instanceof HubSpotApiError && isRejectedRefreshToken(error)) {
        const reason = `refresh token rejected by HubSpot: ${error.hubspotMessage}${
          error.correlationId ? ` (correlationId ${error.correlationId})` : ''
        }`;
        this.cache.delete(portalId);
        await this.store.markBroken(portalId, reason);
        this.logger?.warn({ portalId, err: error }, 'HubSpot install marked broken');
        throw new HubSpotInstallBrokenError(portalId, reason, { cause: error });
      }
      throw error;
    }
    const expiresAt = this.expiryOf(grant);
    await this.store.save(portalId, {
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      expiresAt,
    });
    this.remember(portalId, grant.accessToken, expiresAt);
    this.logger?.debug({ portalId }, 'HubSpot access token refreshed');
    return grant.accessToken;
  }

  private async activeInstall(portalId: string): Promise<StoredInstall> {
    const install = await this.store.load(portalId);
    if (!install) {
      this.cache.delete(portalId);
      throw new HubSpotInstallBrokenError(portalId, 'the app is not installed');
    }
    if (install.status === 'broken') {
      this.cache.delete(portalId);
      throw new HubSpotInstallBrokenError(portalId, install.brokenReason ?? 'install is broken');
    }
    return install;
  }

  private remember(portalId: string, accessToken: string, expiresAt: Date): void {
    this.cache.set(portalId, { accessToken, expiresAt: expiresAt.getTime() });
  }

  private expiresSoon(install: StoredInstall): boolean {
    return this.isDue(install.expiresAt.getTime());
  }

  /** Due for refresh: within `refreshSkewMs` of its expiry. */
  private isDue(expiresAt: number): boolean {
    return expiresAt - this.options.refreshSkewMs <= this.options.now();
  }

  private expiryOf(grant: TokenGrant): Date {
    return new Date(this.options.now() + grant.expiresInSeconds * 1000);
  }
}

function isRejectedRefreshToken(error: HubSpotApiError): boolean {
  if (error.status !== 400 && error.status !== 401) return false;
  return error.category !== undefined && REJECTED_REFRESH_CODES.has(error.category);
}

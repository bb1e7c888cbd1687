import type { HubSpotHttp } from '../client/hubspot-http';
import type { components } from '../client/generated/oauth-v1';
import { expandPath } from '../client/path';

const ACCESS_TOKEN_INFO = '/oauth/v1/access-tokens/{token}' as const;

export type AccessTokenInfo = components['schemas']['AccessTokenInfoResponse'];

/** A token endpoint answer, normalised (v1 is snake_case; dated endpoints may be camelCase). */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
  portalId?: string;
  scopes?: string[];
}

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

function pick(raw: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) if (raw[name] !== undefined && raw[name] !== null) return raw[name];
  return undefined;
}

/** Accepts `access_token` and `accessToken` (spec 1.4: tolerate both casings). */
export function normalizeTokenGrant(raw: unknown): TokenGrant {
  if (typeof raw !== 'object' || raw === null) throw new Error('token endpoint returned no object');
  const body = raw as Record<string, unknown>;
  const accessToken = pick(body, 'access_token', 'accessToken');
  const refreshToken = pick(body, 'refresh_token', 'refreshToken');
  const expiresIn = Number(pick(body, 'expires_in', 'expiresIn'));
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string') {
    throw new Error('token endpoint answer lacks access_token or refresh_token');
  }
  const hubId = pick(body, 'hub_id', 'hubId');
  const scopes = pick(body, 'scopes');
  return {
    accessToken,
    refreshToken,
    expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 1800,
    ...(hubId !== undefined && { portalId: String(hubId) }),
    ...(Array.isArray(scopes) && { scopes: scopes.map(String) }),
  };
}

/** HubSpot's OAuth v1 token endpoints (form-encoded, no portal token, not rate limited by us). */
export class OAuthTokenApi {
  constructor(
    private readonly http: HubSpotHttp,
    private readonly credentials: OAuthClientCredentials,
  ) {}

  async exchangeCode(
    code: string,
    redirectUri: string,
    codeVerifier?: string,
  ): Promise<TokenGrant> {
    return this.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: codeVerifier,
    });
  }

  async refresh(refreshToken: string): Promise<TokenGrant> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** Metadata of an access token: its portal (`hub_id`), scopes and remaining lifetime. */
  async accessTokenInfo(accessToken: string): Promise<AccessTokenInfo> {
    return this.http.json<AccessTokenInfo>({
      method: 'GET',
      path: expandPath(ACCESS_TOKEN_INFO, { token: accessToken }),
      loggedPath: ACCESS_TOKEN_INFO,
      auth: { type: 'none' },
    });
  }

  private async token(fields: Record<string, string | undefined>): Promise<TokenGrant> {
    const raw = await this.http.json<unknown>({
      method: 'POST',
      path: '/oauth/v1/token',
      auth: { type: 'none' },
      form: {
        ...fields,
        client_id: this.credentials.clientId,
        client_secret: this.credentials.clientSecret,
      },
    });
    return normalizeTokenGrant(raw);
  }
}

import { HUBSPOT_OPTIONAL_SCOPES, HUBSPOT_REQUIRED_SCOPES } from './hubspot-scopes';

export const DEFAULT_AUTHORIZE_URL = 'https://app.hubspot.com/oauth/authorize';

export interface HubSpotOAuthInstallOptions {
  /** HubSpot's consent page (default `https://app.hubspot.com/oauth/authorize`; tests: the simulator's). */
  authorizeUrl?: string;
  /** Lifetime of the signed `state` (default 10 minutes). */
  stateTtlMs?: number;
  /** Required scopes (default HUBSPOT_REQUIRED_SCOPES). */
  scopes?: readonly string[];
  /** Scopes sent as `optional_scope` (default HUBSPOT_OPTIONAL_SCOPES). */
  optionalScopes?: readonly string[];
}

export type ResolvedOAuthInstallOptions = Required<HubSpotOAuthInstallOptions>;

/** Injection token of the resolved options. */
export const OAUTH_INSTALL_OPTIONS = Symbol('OAUTH_INSTALL_OPTIONS');

export function resolveOAuthInstallOptions(
  options: HubSpotOAuthInstallOptions = {},
): ResolvedOAuthInstallOptions {
  return {
    authorizeUrl: options.authorizeUrl ?? DEFAULT_AUTHORIZE_URL,
    stateTtlMs: options.stateTtlMs ?? 10 * 60_000,
    scopes: options.scopes ?? HUBSPOT_REQUIRED_SCOPES,
    optionalScopes: options.optionalScopes ?? HUBSPOT_OPTIONAL_SCOPES,
  };
}

/** `${PUBLIC_URL}/oauth/callback`, the redirect URL to register in the HubSpot app. */
export function callbackUrlOf(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/oauth/callback`;
}

/** HubSpot's consent URL for this install (spec 1.4 step 1). */
export function buildAuthorizeUrl(params: {
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  optionalScopes: readonly string[];
  state: string;
}): string {
  const url = new URL(params.authorizeUrl);
  url.searchParams.set('client_id', params.clientId);
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('scope', params.scopes.join(' '));
  if (params.optionalScopes.length > 0) {
    url.searchParams.set('optional_scope', params.optionalScopes.join(' '));
  }
  url.searchParams.set('state', params.state);
  // Space-separated scopes as %20 (HubSpot's documented form); a literal '+' is already %2B.
  url.search = url.search.replace(/\+/g, '%20');
  return url.toString();
}

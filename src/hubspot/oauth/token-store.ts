/** The tokens of one installed portal, decrypted. */
export interface PortalTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  /** Granted scopes; omitted on refresh to keep the stored ones. */
  scopes?: string[];
}

export interface StoredInstall extends PortalTokens {
  portalId: string;
  status: 'active' | 'broken';
  brokenReason?: string;
}

/**
 * Where the token manager keeps each portal's OAuth tokens. The production implementation
 * (InstallTokenStore) encrypts them at rest through the persistence layer's InstallRepository.
 */
export abstract class TokenStore {
  abstract load(portalId: string): Promise<StoredInstall | undefined>;
  /** Saves new tokens (install or refresh) and marks the install active. */
  abstract save(portalId: string, tokens: PortalTokens): Promise<void>;
  /** Marks the install unusable with a reason an operator can read (/health). */
  abstract markBroken(portalId: string, reason: string): Promise<void>;
}

export type InstallStatus = 'active' | 'broken';

/** A HubSpot portal that installed the app; tokens are decrypted. */
export interface HubSpotInstall {
  portalId: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scopes: string[];
  status: InstallStatus;
  /** Why the install is broken (refresh rejected, app uninstalled...). */
  brokenReason?: string;
  installedAt: Date;
  updatedAt: Date;
}

/** What an OAuth code exchange or token refresh yields. */
export interface InstallTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  /** Omit on refresh to keep the scopes already stored. */
  scopes?: string[];
}

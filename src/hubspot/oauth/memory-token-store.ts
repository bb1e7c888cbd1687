import { type PortalTokens, type StoredInstall, TokenStore } from './token-store';

/** Plain in-memory TokenStore for tests and tools (no encryption: never use it in the gateway). */
export class MemoryTokenStore extends TokenStore {
  private readonly installs = new Map<string, StoredInstall>();

  async load(portalId: string): Promise<StoredInstall | undefined> {
    const install = this.installs.get(portalId);
    return install ? { ...install } : undefined;
  }

  async save(portalId: string, tokens: PortalTokens): Promise<void> {
    const previous = this.installs.get(portalId);
    this.installs.set(portalId, {
      portalId,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes ?? previous?.scopes ?? [],
      status: 'active',
    });
  }

  async markBroken(portalId: string, reason: string): Promise<void> {
    const install = this.installs.get(portalId);
    if (install)
      this.installs.set(portalId, { ...install, status: 'broken', brokenReason: reason });
  }
}

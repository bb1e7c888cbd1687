import { Injectable } from '@nestjs/common';
import { InstallRepository } from '../../core/persistence/repositories/install.repository';
import { type PortalTokens, type StoredInstall, TokenStore } from './token-store';

/** TokenStore over the persistence layer: tokens are AES-256-GCM encrypted per portal row. */
@Injectable()
export class InstallTokenStore extends TokenStore {
  constructor(private readonly installs: InstallRepository) {
    super();
  }

  async load(portalId: string): Promise<StoredInstall | undefined> {
    const install = await this.installs.findByPortal(portalId);
    if (!install) return undefined;
    return {
      portalId: install.portalId,
      accessToken: install.accessToken,
      refreshToken: install.refreshToken,
      expiresAt: install.expiresAt,
      scopes: install.scopes,
      status: install.status,
      ...(install.brokenReason !== undefined && { brokenReason: install.brokenReason }),
    };
  }

  async save(portalId: string, tokens: PortalTokens): Promise<void> {
    await this.installs.upsertTokens(portalId, tokens);
  }

  async markBroken(portalId: string, reason: string): Promise<void> {
    await this.installs.markBroken(portalId, reason);
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { SecretCipher } from '../../crypto/secret-cipher';
import { HubSpotInstallEntity } from '../entities/hubspot-install.entity';
import type { HubSpotInstall, InstallStatus, InstallTokens } from '../models/hubspot-install.model';
import { RecordNotFoundError } from '../record-not-found.error';

/** HubSpot portals that installed the app, with their OAuth tokens encrypted at rest. */
@Injectable()
export class InstallRepository {
  private readonly rows: Repository<HubSpotInstallEntity>;

  constructor(
    dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {
    this.rows = dataSource.getRepository(HubSpotInstallEntity);
  }

  /**
   * Stores the tokens of an install or a refresh, atomically (insert or update on the portal id).
   * Marks the install active again; keeps `installedAt` and, when `scopes` is omitted, the scopes.
   */
  async upsertTokens(
    portalId: string,
    tokens: InstallTokens,
    now = new Date(),
  ): Promise<HubSpotInstall> {
    const row = this.rows.create({
      portalId,
      accessToken: this.cipher.encrypt(tokens.accessToken, context(portalId, 'access_token')),
      refreshToken: this.cipher.encrypt(tokens.refreshToken, context(portalId, 'refresh_token')),
      expiresAt: tokens.expiresAt,
      scopes: tokens.scopes ?? [],
      status: 'active' satisfies InstallStatus,
      statusReason: null,
      installedAt: now,
      updatedAt: now,
    });
    const updated = [
      'access_token',
      'refresh_token',
      'expires_at',
      'status',
      'status_reason',
      'updated_at',
    ];
    if (tokens.scopes) updated.push('scopes');
    await this.rows
      .createQueryBuilder()
      .insert()
      .values(row)
      .orUpdate(updated, ['portal_id'])
      .execute();
    const stored = await this.findByPortal(portalId);
    if (!stored) throw new RecordNotFoundError('HubSpot install', portalId);
    return stored;
  }

  async findByPortal(portalId: string): Promise<HubSpotInstall | undefined> {
    const row = await this.rows.findOneBy({ portalId });
    return row ? this.toDomain(row) : undefined;
  }

  async list(): Promise<HubSpotInstall[]> {
    const rows = await this.rows.find({ order: { installedAt: 'ASC' } });
    return rows.map((row) => this.toDomain(row));
  }

  /** The install can no longer be used until the portal re-authorizes (tokens are kept). */
  async markBroken(portalId: string, reason: string, now = new Date()): Promise<void> {
    const result = await this.rows.update(
      { portalId },
      { status: 'broken' satisfies InstallStatus, statusReason: reason, updatedAt: now },
    );
    if (!result.affected) throw new RecordNotFoundError('HubSpot install', portalId);
  }

  /** Forgets an install (app uninstalled); true when it existed. */
  async remove(portalId: string): Promise<boolean> {
    const result = await this.rows.delete({ portalId });
    return (result.affected ?? 0) > 0;
  }

  private toDomain(row: HubSpotInstallEntity): HubSpotInstall {
    return {
      portalId: row.portalId,
      accessToken: this.cipher.decrypt(row.accessToken, context(row.portalId, 'access_token')),
      refreshToken: this.cipher.decrypt(row.refreshToken, context(row.portalId, 'refresh_token')),
      expiresAt: row.expiresAt,
      scopes: row.scopes,
      status: row.status as InstallStatus,
      ...(row.statusReason !== null && { brokenReason: row.statusReason }),
      installedAt: row.installedAt,
      updatedAt: row.updatedAt,
    };
  }
}

/** Additional authenticated data: a token only decrypts in its own row and column. */
function context(portalId: string, column: string): string {
  return `hubspot_installs.${column}:${portalId}`;
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type FindOptionsWhere, Not, type Repository } from 'typeorm';
import type { Credentials, DeliveryIdentifier, DeliveryIdentifierType } from '../../adapter';
import { SecretCipher } from '../../crypto/secret-cipher';
import { parseJsonObject } from '../json';
import { ChannelAccountEntity } from '../entities/channel-account.entity';
import type {
  AccountSettings,
  ChannelAccount,
  ChannelAccountFilter,
  ChannelAccountStatus,
  HubSpotAccountBinding,
  NewChannelAccount,
} from '../models/channel-account.model';
import { RecordNotFoundError } from '../record-not-found.error';

/** Channel accounts; credentials are encrypted at rest and decrypted for callers. */
@Injectable()
export class ChannelAccountRepository {
  private readonly rows: Repository<ChannelAccountEntity>;

  constructor(
    dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {
    this.rows = dataSource.getRepository(ChannelAccountEntity);
  }

  async create(input: NewChannelAccount, now = new Date()): Promise<ChannelAccount> {
    const id = randomUUID();
    const row = this.rows.create({
      id,
      adapterId: input.adapterId,
      portalId: input.portalId ?? null,
      hubspotChannelId: input.hubspotChannelId ?? null,
      hubspotChannelAccountId: null,
      name: input.name,
      status: input.status ?? 'pending',
      statusReason: null,
      authorized: false,
      credentials: this.encryptCredentials(id, input.credentials),
      settingsJson: JSON.stringify(input.settings ?? {}),
      deliveryIdentifierType: input.deliveryIdentifier?.type ?? null,
      deliveryIdentifierValue: input.deliveryIdentifier?.value ?? null,
      inboxId: input.inboxId ?? null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    await this.rows.insert(row);
    return this.toDomain(row);
  }

  async findById(id: string): Promise<ChannelAccount | undefined> {
    const row = await this.rows.findOneBy({ id });
    return row ? this.toDomain(row) : undefined;
  }

  /** By HubSpot's channel account id (webhooks name accounts this way). */
  async findByHubSpotId(hubspotChannelAccountId: string): Promise<ChannelAccount | undefined> {
    const row = await this.rows.findOneBy({ hubspotChannelAccountId });
    return row ? this.toDomain(row) : undefined;
  }

  async list(filter: ChannelAccountFilter = {}): Promise<ChannelAccount[]> {
    const where: FindOptionsWhere<ChannelAccountEntity> = {};
    if (filter.adapterId !== undefined) where.adapterId = filter.adapterId;
    if (filter.portalId !== undefined) where.portalId = filter.portalId;
    if (filter.status !== undefined) where.status = filter.status;
    else if (!filter.includeDeleted) where.status = Not('deleted' satisfies ChannelAccountStatus);
    const rows = await this.rows.find({ where, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map((row) => this.toDomain(row));
  }

  /** Accounts that should be receiving: status `active`, optionally of one adapter. */
  listActive(adapterId?: string): Promise<ChannelAccount[]> {
    return this.list({ adapterId, status: 'active' });
  }

  /**
   * Records the HubSpot channel account created for this account. Throws a unique-constraint
   * error when another gateway account is already bound to the same HubSpot account.
   */
  async bindHubSpotAccount(
    id: string,
    binding: HubSpotAccountBinding,
    now = new Date(),
  ): Promise<ChannelAccount> {
    return this.change(id, now, {
      portalId: binding.portalId,
      hubspotChannelId: binding.hubspotChannelId,
      hubspotChannelAccountId: binding.hubspotChannelAccountId,
      ...(binding.inboxId !== undefined && { inboxId: binding.inboxId }),
      ...(binding.authorized !== undefined && { authorized: binding.authorized }),
    });
  }

  setAuthorized(id: string, authorized: boolean, now = new Date()): Promise<ChannelAccount> {
    return this.change(id, now, { authorized });
  }

  rename(id: string, name: string, now = new Date()): Promise<ChannelAccount> {
    return this.change(id, now, { name });
  }

  /** `reason` explains failed / inactive; it is cleared when omitted. */
  setStatus(
    id: string,
    status: ChannelAccountStatus,
    reason?: string,
    now = new Date(),
  ): Promise<ChannelAccount> {
    return this.change(id, now, { status, statusReason: reason ?? null });
  }

  updateCredentials(
    id: string,
    credentials: Credentials,
    now = new Date(),
  ): Promise<ChannelAccount> {
    return this.change(id, now, { credentials: this.encryptCredentials(id, credentials) });
  }

  updateSettings(id: string, settings: AccountSettings, now = new Date()): Promise<ChannelAccount> {
    return this.change(id, now, { settingsJson: JSON.stringify(settings) });
  }

  setDeliveryIdentifier(
    id: string,
    identifier: DeliveryIdentifier,
    now = new Date(),
  ): Promise<ChannelAccount> {
    return this.change(id, now, {
      deliveryIdentifierType: identifier.type,
      deliveryIdentifierValue: identifier.value,
    });
  }

  /**
   * Soft-deletes the account: status `deleted`, not authorized, and its credentials erased. The
   * row stays so that conversations and messages keep their history.
   */
  markDeleted(id: string, now = new Date()): Promise<ChannelAccount> {
    return this.change(id, now, {
      status: 'deleted',
      statusReason: null,
      authorized: false,
      credentials: null,
      deletedAt: now,
    });
  }

  private async change(
    id: string,
    now: Date,
    values: Partial<Omit<ChannelAccountEntity, 'id' | 'createdAt' | 'updatedAt'>>,
  ): Promise<ChannelAccount> {
    const result = await this.rows.update({ id }, { ...values, updatedAt: now });
    if (!result.affected) throw new RecordNotFoundError('channel account', id);
    const row = await this.rows.findOneByOrFail({ id });
    return this.toDomain(row);
  }

  private encryptCredentials(id: string, credentials: Credentials): string {
    return this.cipher.encrypt(JSON.stringify(credentials), context(id));
  }

  private decryptCredentials(id: string, stored: string | null): Credentials {
    if (stored === null) return {};
    const parsed = parseJsonObject(
      this.cipher.decrypt(stored, context(id)),
      `credentials of channel account ${id}`,
    );
    const credentials: Credentials = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string') credentials[key] = value;
    }
    return credentials;
  }

  private toDomain(row: ChannelAccountEntity): ChannelAccount {
    return {
      id: row.id,
      adapterId: row.adapterId,
      ...(row.portalId !== null && { portalId: row.portalId }),
      ...(row.hubspotChannelId !== null && { hubspotChannelId: row.hubspotChannelId }),
      ...(row.hubspotChannelAccountId !== null && {
        hubspotChannelAccountId: row.hubspotChannelAccountId,
      }),
      name: row.name,
      status: row.status as ChannelAccountStatus,
      ...(row.statusReason !== null && { statusReason: row.statusReason }),
      authorized: row.authorized,
      credentials: this.decryptCredentials(row.id, row.credentials),
      settings: parseJsonObject(row.settingsJson, `settings of channel account ${row.id}`),
      ...(row.deliveryIdentifierType !== null &&
        row.deliveryIdentifierValue !== null && {
          deliveryIdentifier: {
            type: row.deliveryIdentifierType as DeliveryIdentifierType,
            value: row.deliveryIdentifierValue,
          },
        }),
      ...(row.inboxId !== null && { inboxId: row.inboxId }),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      ...(row.deletedAt !== null && { deletedAt: row.deletedAt }),
    };
  }
}

function context(accountId: string): string {
  return `channel_accounts.credentials:${accountId}`;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn, UUID_LENGTH } from '../columns';

/** One connected account of an adapter (a Telegram bot, a Twilio number...). */
@Entity({ name: 'channel_accounts' })
@Index('IDX_channel_accounts_adapter_status', ['adapterId', 'status'])
@Index('IDX_channel_accounts_portal', ['portalId'])
@Index('UQ_channel_accounts_hubspot_account', ['hubspotChannelAccountId'], { unique: true })
export class ChannelAccountEntity {
  /** The gateway's id (UUID), used in webhook URLs. */
  @PrimaryColumn({
    name: 'id',
    type: 'varchar',
    length: UUID_LENGTH,
    primaryKeyConstraintName: 'PK_channel_accounts',
  })
  id!: string;

  @Column({ name: 'adapter_id', type: 'varchar', length: 64 })
  adapterId!: string;

  @Column({ name: 'portal_id', type: 'varchar', length: 32, nullable: true })
  portalId!: string | null;

  @Column({ name: 'hubspot_channel_id', type: 'varchar', length: 32, nullable: true })
  hubspotChannelId!: string | null;

  /** Unique when set (NULLs do not collide on SQLite nor PostgreSQL). */
  @Column({ name: 'hubspot_channel_account_id', type: 'varchar', length: 32, nullable: true })
  hubspotChannelAccountId!: string | null;

  @Column({ name: 'name', type: 'varchar', length: 255 })
  name!: string;

  /** pending | active | inactive | deleted | failed */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'authorized', type: 'boolean' })
  authorized!: boolean;

  /** SecretCipher output of the credentials JSON; NULL once the account is deleted. */
  @Column({ name: 'credentials', type: 'text', nullable: true })
  credentials!: string | null;

  /** JSON object of per-account settings (threading mode, silence hours...). */
  @Column({ name: 'settings', type: 'text' })
  settingsJson!: string;

  @Column({ name: 'delivery_identifier_type', type: 'varchar', length: 32, nullable: true })
  deliveryIdentifierType!: string | null;

  @Column({ name: 'delivery_identifier_value', type: 'varchar', length: 255, nullable: true })
  deliveryIdentifierValue!: string | null;

  @Column({ name: 'inbox_id', type: 'varchar', length: 32, nullable: true })
  inboxId!: string | null;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;

  @TimestampColumn('deleted_at', { nullable: true })
  deletedAt!: Date | null;
}

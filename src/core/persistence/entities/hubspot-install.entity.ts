import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../columns';

/** One HubSpot portal that installed the app, with its OAuth tokens (encrypted). */
@Entity({ name: 'hubspot_installs' })
export class HubSpotInstallEntity {
  /** HubSpot portal (hub) id; an int64 kept as text. */
  @PrimaryColumn({
    name: 'portal_id',
    type: 'varchar',
    length: 32,
    primaryKeyConstraintName: 'PK_hubspot_installs',
  })
  portalId!: string;

  /** SecretCipher output. */
  @Column({ name: 'access_token', type: 'text' })
  accessToken!: string;

  /** SecretCipher output. */
  @Column({ name: 'refresh_token', type: 'text' })
  refreshToken!: string;

  @TimestampColumn('expires_at')
  expiresAt!: Date;

  @Column({ name: 'scopes', type: 'simple-json' })
  scopes!: string[];

  /** `active` or `broken`. */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @TimestampColumn('installed_at')
  installedAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}

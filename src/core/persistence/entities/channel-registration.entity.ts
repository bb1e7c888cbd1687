import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../columns';

/** The HubSpot custom channel registered for one adapter (channels are global to the app). */
@Entity({ name: 'hubspot_channels' })
@Index('UQ_hubspot_channels_channel_id', ['hubspotChannelId'], { unique: true })
export class ChannelRegistrationEntity {
  @PrimaryColumn({
    name: 'adapter_id',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'PK_hubspot_channels',
  })
  adapterId!: string;

  @Column({ name: 'hubspot_channel_id', type: 'varchar', length: 32 })
  hubspotChannelId!: string;

  @Column({ name: 'name', type: 'varchar', length: 255 })
  name!: string;

  /** JSON of the capabilities object last sent to HubSpot. */
  @Column({ name: 'capabilities', type: 'text' })
  capabilitiesJson!: string;

  @TimestampColumn('registered_at')
  registeredAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}

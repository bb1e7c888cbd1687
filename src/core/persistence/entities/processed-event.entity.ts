import { Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../columns';

/** Events already accepted once (platform events, HubSpot webhooks), to drop redeliveries. */
@Entity({ name: 'processed_events' })
@Index('IDX_processed_events_processed_at', ['processedAt'])
export class ProcessedEventEntity {
  /** Who sent it, e.g. `hubspot` or `adapter:telegram:<accountId>`. */
  @PrimaryColumn({
    name: 'source',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'PK_processed_events',
  })
  source!: string;

  @PrimaryColumn({
    name: 'event_id',
    type: 'varchar',
    length: 255,
    primaryKeyConstraintName: 'PK_processed_events',
  })
  eventId!: string;

  @TimestampColumn('processed_at')
  processedAt!: Date;
}

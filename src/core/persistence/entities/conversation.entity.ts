import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn, UUID_LENGTH } from '../columns';
import { ChannelAccountEntity } from './channel-account.entity';

/** A platform chat / room / customer number, and the HubSpot thread it currently maps to. */
@Entity({ name: 'conversations' })
@Index('UQ_conversations_account_external', ['accountId', 'externalId'], { unique: true })
@Index('IDX_conversations_hubspot_thread', ['hubspotThreadId'])
@Index('IDX_conversations_integration_thread', ['integrationThreadId'])
export class ConversationEntity {
  @PrimaryColumn({
    name: 'id',
    type: 'varchar',
    length: UUID_LENGTH,
    primaryKeyConstraintName: 'PK_conversations',
  })
  id!: string;

  @Column({ name: 'account_id', type: 'varchar', length: UUID_LENGTH })
  @ForeignKey(() => ChannelAccountEntity, { name: 'FK_conversations_account', onDelete: 'CASCADE' })
  accountId!: string;

  @Column({ name: 'external_id', type: 'varchar', length: 255 })
  externalId!: string;

  @Column({ name: 'hubspot_thread_id', type: 'varchar', length: 32, nullable: true })
  hubspotThreadId!: string | null;

  @Column({ name: 'hubspot_ticket_id', type: 'varchar', length: 32, nullable: true })
  hubspotTicketId!: string | null;

  @Column({ name: 'integration_thread_id', type: 'varchar', length: 128, nullable: true })
  integrationThreadId!: string | null;

  /** OPEN | CLOSED */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'title', type: 'varchar', length: 255, nullable: true })
  title!: string | null;

  @Column({ name: 'is_group', type: 'boolean' })
  isGroup!: boolean;

  @TimestampColumn('last_message_at', { nullable: true })
  lastMessageAt!: Date | null;

  @TimestampColumn('last_inbound_at', { nullable: true })
  lastInboundAt!: Date | null;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}

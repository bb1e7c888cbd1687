import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn, UUID_LENGTH } from '../columns';
import { ChannelAccountEntity } from './channel-account.entity';
import { ConversationEntity } from './conversation.entity';

/** One message in either direction and its HubSpot counterpart. */
@Entity({ name: 'messages' })
@Index('UQ_messages_idempotency_key', ['idempotencyKey'], { unique: true })
@Index('UQ_messages_hubspot_message', ['hubspotMessageId'], { unique: true })
@Index('IDX_messages_conversation_created', ['conversationId', 'createdAt'])
@Index('IDX_messages_hubspot_thread', ['hubspotThreadId'])
export class MessageEntity {
  @PrimaryColumn({
    name: 'id',
    type: 'varchar',
    length: UUID_LENGTH,
    primaryKeyConstraintName: 'PK_messages',
  })
  id!: string;

  @Column({ name: 'account_id', type: 'varchar', length: UUID_LENGTH })
  @ForeignKey(() => ChannelAccountEntity, { name: 'FK_messages_account', onDelete: 'CASCADE' })
  accountId!: string;

  @Column({ name: 'conversation_id', type: 'varchar', length: UUID_LENGTH })
  @ForeignKey(() => ConversationEntity, { name: 'FK_messages_conversation', onDelete: 'CASCADE' })
  conversationId!: string;

  /** INCOMING (customer -> HubSpot) | OUTGOING (agent -> customer) */
  @Column({ name: 'direction', type: 'varchar', length: 8 })
  direction!: string;

  /** The first platform id; all of them are in message_external_ids. */
  @Column({ name: 'external_message_id', type: 'varchar', length: 255, nullable: true })
  externalMessageId!: string | null;

  @Column({ name: 'hubspot_message_id', type: 'varchar', length: 64, nullable: true })
  hubspotMessageId!: string | null;

  @Column({ name: 'hubspot_thread_id', type: 'varchar', length: 32, nullable: true })
  hubspotThreadId!: string | null;

  /** PENDING | PUBLISHED | SENT | FAILED | READ */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255 })
  idempotencyKey!: string;

  @TimestampColumn('created_at')
  createdAt!: Date;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}

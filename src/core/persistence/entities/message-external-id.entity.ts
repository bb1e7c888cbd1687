import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { UUID_LENGTH } from '../columns';
import { MessageEntity } from './message.entity';

/**
 * Platform ids of a message: one message may map to several (a split text, a media group).
 * Looked up by (account, external id); account and conversation are copied from the message.
 */
@Entity({ name: 'message_external_ids' })
@Index('IDX_message_external_ids_lookup', ['accountId', 'externalId'])
export class MessageExternalIdEntity {
  @PrimaryColumn({
    name: 'message_id',
    type: 'varchar',
    length: UUID_LENGTH,
    primaryKeyConstraintName: 'PK_message_external_ids',
  })
  @ForeignKey(() => MessageEntity, { name: 'FK_message_external_ids_message', onDelete: 'CASCADE' })
  messageId!: string;

  @PrimaryColumn({
    name: 'external_id',
    type: 'varchar',
    length: 255,
    primaryKeyConstraintName: 'PK_message_external_ids',
  })
  externalId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: UUID_LENGTH })
  accountId!: string;

  @Column({ name: 'conversation_id', type: 'varchar', length: UUID_LENGTH })
  conversationId!: string;

  /** Order of the id within the message (0 = first part). */
  @Column({ name: 'position', type: 'integer' })
  position!: number;
}

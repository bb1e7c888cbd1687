import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { TimestampColumn, UUID_LENGTH } from '../columns';
import { ChannelAccountEntity } from './channel-account.entity';

/** Small key/value state of one account (poll offsets, sync tokens, webhook secrets). */
@Entity({ name: 'account_state' })
export class AccountStateEntity {
  @PrimaryColumn({
    name: 'account_id',
    type: 'varchar',
    length: UUID_LENGTH,
    primaryKeyConstraintName: 'PK_account_state',
  })
  @ForeignKey(() => ChannelAccountEntity, { name: 'FK_account_state_account', onDelete: 'CASCADE' })
  accountId!: string;

  @PrimaryColumn({
    name: 'state_key',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'PK_account_state',
  })
  key!: string;

  /** SecretCipher output of the JSON value. */
  @Column({ name: 'value', type: 'text' })
  value!: string;

  @TimestampColumn('updated_at')
  updatedAt!: Date;
}

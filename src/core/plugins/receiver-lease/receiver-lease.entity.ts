import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Which gateway process receives for a channel account (runs its poll loop, owns its webhook
 * registration). The holder renews `expires_at`; an expired row is free for any process.
 * Created by ReceiverLeases1764000002000.
 */
@Entity({ name: 'receiver_leases' })
export class ReceiverLeaseEntity {
  @PrimaryColumn({
    name: 'account_id',
    type: 'varchar',
    length: 36,
    primaryKeyConstraintName: 'PK_receiver_leases',
  })
  accountId!: string;

  /** `host:pid:uuid` of the holding process. */
  @Column({ name: 'owner', type: 'varchar', length: 255 })
  owner!: string;

  /** Epoch ms, on the database's clock, after which the lease is free. */
  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt!: number | string;
}

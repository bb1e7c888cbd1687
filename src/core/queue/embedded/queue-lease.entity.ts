import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The lease that makes the embedded driver single-process: the holder renews `expires_at`
 * (a heartbeat); another process sees a live lease and refuses to start.
 */
@Entity({ name: 'queue_leases' })
export class QueueLeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name!: string;

  /** `host:pid:random` of the holder. */
  @Column({ type: 'varchar', length: 255 })
  owner!: string;

  /** Epoch ms after which the lease is free. */
  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt!: number | string;
}

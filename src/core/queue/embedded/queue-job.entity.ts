import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A pending job of the embedded driver: the durable log behind its in-memory dispatch state.
 * A row exists from the commit of `enqueue` until the job completed or was dead-lettered.
 * Times are epoch milliseconds (dialect neutral).
 */
@Entity({ name: 'queue_jobs' })
@Index('idx_queue_jobs_seq', ['seq'])
export class QueueJobEntity {
  /** The caller's jobId, or a generated UUID. */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  queue!: string;

  @Column({ name: 'ordering_key', type: 'varchar', length: 255, nullable: true })
  orderingKey!: string | null;

  /** Enqueue order, increasing; jobs of one key run in this order. */
  @Column({ type: 'bigint' })
  seq!: number | string;

  /** The payload as JSON. */
  @Column({ type: 'text' })
  payload!: string;

  /** Attempts that failed so far (an attempt interrupted by a crash is not counted). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'max_attempts', type: 'integer', nullable: true })
  maxAttempts!: number | null;

  /** Not before this time (retry backoff). */
  @Column({ name: 'run_at', type: 'bigint' })
  runAt!: number | string;

  @Column({ name: 'created_at', type: 'bigint' })
  createdAt!: number | string;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}

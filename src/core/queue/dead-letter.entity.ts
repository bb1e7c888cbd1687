import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A job that failed for good (PermanentError or out of attempts), written by both drivers so
 * operators inspect and replay from one place. Times are epoch milliseconds (dialect neutral).
 */
@Entity({ name: 'dead_letters' })
@Index('idx_dead_letters_queue_replayed', ['queue', 'replayedAt'])
export class DeadLetterEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  queue!: string;

  @Column({ name: 'job_id', type: 'varchar', length: 255 })
  jobId!: string;

  @Column({ name: 'ordering_key', type: 'varchar', length: 255, nullable: true })
  orderingKey!: string | null;

  /** The job's payload as JSON. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text' })
  lastError!: string;

  /** True when a PermanentError stopped the job; false when it ran out of attempts. */
  // No database default: SQLite and PostgreSQL spell a boolean default differently, which would
  // make the schema-drift check fail on one of them. Both drivers always write the value.
  @Column({ type: 'boolean' })
  permanent!: boolean;

  /** 'embedded' or 'bull'. */
  @Column({ type: 'varchar', length: 16 })
  driver!: string;

  @Column({ name: 'enqueued_at', type: 'bigint' })
  enqueuedAt!: number | string;

  @Column({ name: 'failed_at', type: 'bigint' })
  failedAt!: number | string;

  @Column({ name: 'replayed_at', type: 'bigint', nullable: true })
  replayedAt!: number | string | null;

  /** The id of the job created by the replay. */
  @Column({ name: 'replay_job_id', type: 'varchar', length: 255, nullable: true })
  replayJobId!: string | null;
}

import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Tables of the job queue: `queue_jobs` and `queue_leases` (embedded driver) and `dead_letters`
 * (both drivers). Written with the dialect-neutral schema API: runs on SQLite and PostgreSQL.
 */
export class QueueTables1764000001000 implements MigrationInterface {
  name = 'QueueTables1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'queue_jobs',
        columns: [
          { name: 'id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'queue', type: 'varchar', length: '100' },
          { name: 'ordering_key', type: 'varchar', length: '255', isNullable: true },
          { name: 'seq', type: 'bigint' },
          { name: 'payload', type: 'text' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'max_attempts', type: 'integer', isNullable: true },
          { name: 'run_at', type: 'bigint' },
          { name: 'created_at', type: 'bigint' },
          { name: 'last_error', type: 'text', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'queue_jobs',
      new TableIndex({ name: 'idx_queue_jobs_seq', columnNames: ['seq'] }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'queue_leases',
        columns: [
          { name: 'name', type: 'varchar', length: '100', isPrimary: true },
          { name: 'owner', type: 'varchar', length: '255' },
          { name: 'expires_at', type: 'bigint' },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'dead_letters',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'queue', type: 'varchar', length: '100' },
          { name: 'job_id', type: 'varchar', length: '255' },
          { name: 'ordering_key', type: 'varchar', length: '255', isNullable: true },
          { name: 'payload', type: 'text' },
          { name: 'attempts', type: 'integer' },
          { name: 'last_error', type: 'text' },
          { name: 'permanent', type: 'boolean' },
          { name: 'driver', type: 'varchar', length: '16' },
          { name: 'enqueued_at', type: 'bigint' },
          { name: 'failed_at', type: 'bigint' },
          { name: 'replayed_at', type: 'bigint', isNullable: true },
          { name: 'replay_job_id', type: 'varchar', length: '255', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex(
      'dead_letters',
      new TableIndex({
        name: 'idx_dead_letters_queue_replayed',
        columnNames: ['queue', 'replayed_at'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dead_letters');
    await queryRunner.dropTable('queue_leases');
    await queryRunner.dropTable('queue_jobs');
  }
}

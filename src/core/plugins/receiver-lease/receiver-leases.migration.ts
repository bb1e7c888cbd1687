import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `receiver_leases`: one row per channel account that some gateway process receives for.
 * Dialect-neutral schema API (SQLite and PostgreSQL); self-contained on purpose.
 */
export class ReceiverLeases1764000002000 implements MigrationInterface {
  name = 'ReceiverLeases1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'receiver_leases',
        columns: [
          {
            name: 'account_id',
            type: 'varchar',
            length: '36',
            isPrimary: true,
            primaryKeyConstraintName: 'PK_receiver_leases',
          },
          { name: 'owner', type: 'varchar', length: '255' },
          { name: 'expires_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('receiver_leases');
  }
}

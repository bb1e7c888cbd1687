import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Finds messages by HubSpot thread: an agent may answer in a conversation's earlier thread after
 * the threading setting started a new one, and the reply must still reach the same chat.
 */
export class MessagesByThread1764000003000 implements MigrationInterface {
  name = 'MessagesByThread1764000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'messages',
      new TableIndex({ name: 'IDX_messages_hubspot_thread', columnNames: ['hubspot_thread_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('messages', 'IDX_messages_hubspot_thread');
  }
}

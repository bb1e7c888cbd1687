import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  type TableColumnOptions,
  TableForeignKey,
  TableIndex,
} from 'typeorm';

/*
 * Column helpers local to this migration on purpose: a migration is frozen history and must not
 * change when shared code does. Timestamps are ISO-8601 text (see ../columns.ts), ids are UUID
 * text, HubSpot's int64 ids are text. No database defaults: the repositories write every value.
 */
function text(name: string, nullable = false): TableColumnOptions {
  return { name, type: 'text', isNullable: nullable };
}

function varchar(name: string, length: number, nullable = false): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), isNullable: nullable };
}

function uuid(name: string): TableColumnOptions {
  return varchar(name, 36);
}

function timestamp(name: string, nullable = false): TableColumnOptions {
  return varchar(name, 32, nullable);
}

function primary(column: TableColumnOptions, constraintName: string): TableColumnOptions {
  return { ...column, isPrimary: true, primaryKeyConstraintName: constraintName };
}

function cascadeTo(name: string, columnName: string, referencedTableName: string): TableForeignKey {
  return new TableForeignKey({
    name,
    columnNames: [columnName],
    referencedTableName,
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
}

/** Installs, channels, accounts and their state, conversations, messages, processed events. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'hubspot_installs',
        columns: [
          primary(varchar('portal_id', 32), 'PK_hubspot_installs'),
          text('access_token'),
          text('refresh_token'),
          timestamp('expires_at'),
          text('scopes'),
          varchar('status', 16),
          text('status_reason', true),
          timestamp('installed_at'),
          timestamp('updated_at'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'hubspot_channels',
        columns: [
          primary(varchar('adapter_id', 64), 'PK_hubspot_channels'),
          varchar('hubspot_channel_id', 32),
          varchar('name', 255),
          text('capabilities'),
          timestamp('registered_at'),
          timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_hubspot_channels_channel_id',
            columnNames: ['hubspot_channel_id'],
            isUnique: true,
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'channel_accounts',
        columns: [
          primary(uuid('id'), 'PK_channel_accounts'),
          varchar('adapter_id', 64),
          varchar('portal_id', 32, true),
          varchar('hubspot_channel_id', 32, true),
          varchar('hubspot_channel_account_id', 32, true),
          varchar('name', 255),
          varchar('status', 16),
          text('status_reason', true),
          { name: 'authorized', type: 'boolean', isNullable: false },
          text('credentials', true),
          text('settings'),
          varchar('delivery_identifier_type', 32, true),
          varchar('delivery_identifier_value', 255, true),
          varchar('inbox_id', 32, true),
          timestamp('created_at'),
          timestamp('updated_at'),
          timestamp('deleted_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_channel_accounts_adapter_status',
            columnNames: ['adapter_id', 'status'],
          }),
          new TableIndex({ name: 'IDX_channel_accounts_portal', columnNames: ['portal_id'] }),
          new TableIndex({
            name: 'UQ_channel_accounts_hubspot_account',
            columnNames: ['hubspot_channel_account_id'],
            isUnique: true,
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'account_state',
        columns: [
          primary(uuid('account_id'), 'PK_account_state'),
          primary(varchar('state_key', 128), 'PK_account_state'),
          text('value'),
          timestamp('updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_account_state_account',
            columnNames: ['account_id'],
            referencedTableName: 'channel_accounts',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'conversations',
        columns: [
          primary(uuid('id'), 'PK_conversations'),
          uuid('account_id'),
          varchar('external_id', 255),
          varchar('hubspot_thread_id', 32, true),
          varchar('hubspot_ticket_id', 32, true),
          varchar('integration_thread_id', 128, true),
          varchar('status', 16),
          varchar('title', 255, true),
          { name: 'is_group', type: 'boolean', isNullable: false },
          timestamp('last_message_at', true),
          timestamp('last_inbound_at', true),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_conversations_account_external',
            columnNames: ['account_id', 'external_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'IDX_conversations_hubspot_thread',
            columnNames: ['hubspot_thread_id'],
          }),
          new TableIndex({
            name: 'IDX_conversations_integration_thread',
            columnNames: ['integration_thread_id'],
          }),
        ],
        foreignKeys: [cascadeTo('FK_conversations_account', 'account_id', 'channel_accounts')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'messages',
        columns: [
          primary(uuid('id'), 'PK_messages'),
          uuid('account_id'),
          uuid('conversation_id'),
          varchar('direction', 8),
          varchar('external_message_id', 255, true),
          varchar('hubspot_message_id', 64, true),
          varchar('hubspot_thread_id', 32, true),
          varchar('status', 16),
          text('failure_reason', true),
          varchar('idempotency_key', 255),
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'UQ_messages_idempotency_key',
            columnNames: ['idempotency_key'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'UQ_messages_hubspot_message',
            columnNames: ['hubspot_message_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'IDX_messages_conversation_created',
            columnNames: ['conversation_id', 'created_at'],
          }),
        ],
        foreignKeys: [
          cascadeTo('FK_messages_account', 'account_id', 'channel_accounts'),
          cascadeTo('FK_messages_conversation', 'conversation_id', 'conversations'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'message_external_ids',
        columns: [
          primary(uuid('message_id'), 'PK_message_external_ids'),
          primary(varchar('external_id', 255), 'PK_message_external_ids'),
          uuid('account_id'),
          uuid('conversation_id'),
          { name: 'position', type: 'integer', isNullable: false },
        ],
        indices: [
          new TableIndex({
            name: 'IDX_message_external_ids_lookup',
            columnNames: ['account_id', 'external_id'],
          }),
        ],
        foreignKeys: [cascadeTo('FK_message_external_ids_message', 'message_id', 'messages')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'processed_events',
        columns: [
          primary(varchar('source', 128), 'PK_processed_events'),
          primary(varchar('event_id', 255), 'PK_processed_events'),
          timestamp('processed_at'),
        ],
        indices: [
          new TableIndex({
            name: 'IDX_processed_events_processed_at',
            columnNames: ['processed_at'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'processed_events',
      'message_external_ids',
      'messages',
      'conversations',
      'account_state',
      'channel_accounts',
      'hubspot_channels',
      'hubspot_installs',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}

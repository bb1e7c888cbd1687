import { PERSISTENCE_MIGRATIONS } from './persistence-migrations';
import { QueueTables1764000001000 } from '../../queue/queue-tables.migration';
import { ReceiverLeases1764000002000 } from '../../plugins/receiver-lease/receiver-leases.migration';

/**
 * Every migration of the gateway, in order. Migrations use TypeORM's dialect-neutral schema
 * API (Table, TableIndex) so the same files run on SQLite and PostgreSQL. TypeORM runs them in the
 * order of the timestamp in their names, whatever their order here.
 */
export const GATEWAY_MIGRATIONS: (new (...args: never[]) => unknown)[] = [
  ...PERSISTENCE_MIGRATIONS,
  QueueTables1764000001000,
  ReceiverLeases1764000002000,
];

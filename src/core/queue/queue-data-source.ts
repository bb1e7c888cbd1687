import { DataSource } from 'typeorm';

/**
 * TypeORM's SQLite driver has one connection: a transaction opened by the queue's group commit
 * would swallow (and on rollback, undo) any repository write issued meanwhile. On SQLite the
 * queue therefore gets a connection of its own to the same WAL database, and the busy timeout
 * serialises the two writers. PostgreSQL pools connections, so there the DataSource is shared.
 *
 * Both connections are put in node-sqlite3's serialized mode. By default the binding runs every
 * statement of a connection at once, one per libuv threadpool thread (4), where all but one wait
 * for the connection's mutex. Under load the shared connection's statements then filled every
 * thread, one of them sleeping in SQLite's busy handler for the write lock that the queue's
 * transaction held, while that transaction waited for a free thread to run its next statement:
 * a deadlock that only the busy timeout (5 s) broke, then again and again. Serialized, each
 * connection occupies at most one thread and the lock holder can always finish.
 */
export async function queueDataSource(dataSource: DataSource): Promise<DataSource> {
  if (dataSource.options.type !== 'sqlite') return dataSource;
  const own = await new DataSource({ ...dataSource.options, migrationsRun: false }).initialize();
  serializeSqlite(dataSource);
  serializeSqlite(own);
  return own;
}

interface SqliteDriverConnection {
  databaseConnection?: { serialize?: () => void };
}

/** One statement at a time on this SQLite connection (node-sqlite3 `Database#serialize()`). */
function serializeSqlite(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as SqliteDriverConnection;
  driver.databaseConnection?.serialize?.();
}

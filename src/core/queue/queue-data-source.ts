import { DataSource } from 'typeorm';

/**
 * TypeORM's SQLite driver has one connection: a transaction opened by the queue's group commit
 * would swallow (and on rollback, undo) any repository write issued meanwhile. On SQLite the
 * queue therefore gets a connection of its own to the same WAL database, and the busy timeout
 * serialises the two writers. PostgreSQL pools connections, so there the DataSource is shared.
 *
 * Two writers in one process can deadlock on libuv's threadpool (4 threads): node-sqlite3 runs a
 * connection's statements each on its own thread, and a statement waiting for the write lock
 * sleeps on its thread in SQLite's busy handler. If the lock holder is a transaction between two
 * of its statements, it needs a free thread to go on; when the waiting statements fill the pool,
 * nothing moves until the busy timeout (5 s) fails them, again and again under load. So no
 * connection may hold the lock across an await: the queue's writes on SQLite are single
 * statements that commit on their own (JobStore; a dead-letter replay, an operator's action, is
 * the one transaction), the repositories on the shared connection use single statements too
 * (insert/update/delete, no `save()` or transactions at run time), and the queue's connection is
 * in serialized mode, so it takes at most one thread. The shared connection stays parallel: its
 * statements queue on the threadpool without waiting for the event loop between them.
 */
export async function queueDataSource(dataSource: DataSource): Promise<DataSource> {
  if (dataSource.options.type !== 'sqlite') return dataSource;
  const own = await new DataSource({ ...dataSource.options, migrationsRun: false }).initialize();
  serializeSqlite(own);
  // Accepted events and completed jobs must survive a power loss: this connection's commits sync
  // the WAL (and with it the repositories' earlier writes, which run with NORMAL).
  await own.query('PRAGMA synchronous = FULL');
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

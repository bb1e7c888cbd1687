import * as sqlite3 from 'sqlite3';
import type { PreparedStatementCache, SqliteStatement } from './prepared-sql';

type Callback = (error: Error | null) => void;

/**
 * node-sqlite3's Database as the gateway opens it (TypeORM's SQLite driver, database-options.ts):
 *
 * - `synchronous = NORMAL`. In WAL mode the default (FULL) syncs the WAL to disk at every commit,
 *   and a commit holds SQLite's single write lock while it syncs: with every repository statement
 *   committing on its own, that serialised the gateway's writes behind one disk flush each.
 *   NORMAL never corrupts the database and survives a crash of the process; only a power loss or
 *   OS crash can roll back the latest commits, and those are made durable by the queue's next
 *   commit, which stays FULL (queue-data-source.ts): syncing the WAL flushes every frame written
 *   before, by either connection. A job's completion is such a commit, so the effects of a job
 *   that counts as done are on disk.
 * - A cache of prepared statements for the hot path (prepared-sql.ts), finalized before the
 *   connection closes (SQLite refuses to close with statements still open).
 */
export class GatewaySqliteDatabase extends sqlite3.Database implements PreparedStatementCache {
  private readonly prepared = new Map<string, sqlite3.Statement>();

  // TypeORM opens it as `new Database(file, flags, callback)`.
  constructor(file: string, mode?: number, callback?: Callback) {
    const defaultMode = sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE | sqlite3.OPEN_FULLMUTEX;
    super(file, mode ?? defaultMode, (error: Error | null) => {
      if (error) {
        callback?.(error);
        return;
      }
      this.run('PRAGMA synchronous = NORMAL', (pragmaError: Error | null) =>
        callback?.(pragmaError),
      );
    });
  }

  preparedStatement(sql: string): SqliteStatement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      // A statement that fails to prepare reports it to each run; it is not kept.
      statement = this.prepare(sql, (error: Error | null) => {
        if (error) this.prepared.delete(sql);
      });
      this.prepared.set(sql, statement);
    }
    return statement as unknown as SqliteStatement;
  }

  override close(callback?: Callback): void {
    const statements = [...this.prepared.values()];
    this.prepared.clear();
    let open = statements.length;
    if (open === 0) {
      super.close(callback);
      return;
    }
    for (const statement of statements) {
      statement.finalize(() => {
        if (--open === 0) super.close(callback);
      });
    }
  }
}
